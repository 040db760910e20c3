#!/bin/sh
# What `npm run bench` needs on a Debian machine (its baselines and the server). Idempotent; run as root.
set -e

# --- issue 16: the Keep baselines (mbsync, mu, notmuch) and the private Dovecot ---
need=""
command -v mbsync >/dev/null 2>&1 || need="$need isync"
command -v mu >/dev/null 2>&1 || need="$need maildir-utils"
command -v notmuch >/dev/null 2>&1 || need="$need notmuch"
command -v dovecot >/dev/null 2>&1 || need="$need dovecot-imapd dovecot-core"
command -v python3 >/dev/null 2>&1 || need="$need python3"
if [ -n "$need" ]; then
  apt-get update
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y $need
fi
# --- end issue 16 ---
