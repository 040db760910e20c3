#!/usr/bin/env bash
# What `npm run bench` compares Arche with, from Debian: mbsync (isync), mu (maildir-utils), notmuch, and the Perl
# modules of imapsync (the script itself is vendored in bench/vendor/imapsync; imapsync is not packaged in Debian).
# Run as root. The bench still runs without them: a tool that is missing is skipped, with the reason in the report.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(
  dovecot-imapd dovecot-core python3 isync maildir-utils notmuch
  # the word stems of `arche search`'s native fast path (without it plain words go to Node, ~20x slower)
  libstemmer-dev
  # imapsync's `use` lines (bench/vendor/imapsync), one Debian package each
  perl libmail-imapclient-perl libio-socket-ssl-perl libio-socket-inet6-perl libnet-ssleay-perl
  libdigest-hmac-perl libterm-readkey-perl libfile-copy-recursive-perl libio-tee-perl libunicode-string-perl
  libreadonly-perl libsys-meminfo-perl libregexp-common-perl libencode-imaputf7-perl libfile-tail-perl
  # used by some of its options (OAuth2, JSON, HTML answers, NTLM): loaded only when asked for, installed for completeness
  libdata-uniqid-perl libjson-webtoken-perl libhtml-parser-perl libjson-perl libcgi-pm-perl
  libcrypt-openssl-rsa-perl libdist-checkconflicts-perl libauthen-ntlm-perl
)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "bench dependencies: all installed"; exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "Missing Debian packages (install them as root): ${missing[*]}" >&2; exit 1; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
perl bench/vendor/imapsync --version >/dev/null && echo "imapsync $(perl bench/vendor/imapsync --version | tail -1): ready"
