#!/usr/bin/env bash
# Fetches the IMAP servers the integration tests run besides Dovecot: Cyrus IMAP 3.6, Courier-IMAP 5.0 and
# GNU mailutils imap4d 3.15 (Debian 12 packages). cyrus-imapd and courier-imap conflict with dovecot-imapd as
# installed packages, so they are downloaded with `apt-get download` and unpacked with `dpkg-deb -x` into a cache
# folder, never installed; test/helpers/servers.ts runs them from there. Only libraries that remove nothing are
# installed as packages. Idempotent: a second run with the same package list does nothing.
# Cache: $ARCHE_TEST_SERVERS_DIR, default /var/cache/arche-test-servers (root) or ~/.cache/arche-test-servers.
set -euo pipefail

if [ "$(id -u)" = 0 ]; then default=/var/cache/arche-test-servers; else default="${XDG_CACHE_HOME:-$HOME/.cache}/arche-test-servers"; fi
cache="${ARCHE_TEST_SERVERS_DIR:-$default}"

debs=(cyrus-imapd cyrus-common sasl2-bin
      courier-imap courier-base courier-authlib courier-authlib-userdb courier-authdaemon gamin libgamin0
      mailutils-imap4d)
# Shared libraries the extracted binaries load from the system: none of them conflicts with anything installed.
libs=(libpcre3 libical3 libltdl7 libmailutils9 libcourier-unicode4 libsasl2-modules libsasl2-modules-db)

stamp="${debs[*]} | ${libs[*]}"
if [ -f "$cache/root/.complete" ] && [ "$(cat "$cache/root/.complete")" = "$stamp" ]; then
  echo "test servers already in $cache"
  exit 0
fi

missing=()
for p in "${libs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "Missing Debian packages (install them as root): ${missing[*]}" >&2; exit 1; fi
  # Refuse anything that would remove a package (Dovecot above all).
  if apt-get -s install "${missing[@]}" | grep -q '^Remv'; then
    echo "Installing ${missing[*]} would remove packages; refusing" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The servers drop privileges to these users (Cyrus: cyrus, Courier: courier); mail is stored as the "mail" user.
if [ "$(id -u)" = 0 ]; then
  id cyrus >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin -g mail cyrus
  id courier >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin courier
fi

rm -rf "$cache/root" "$cache/debs"
mkdir -p "$cache/debs" "$cache/root"
# _apt cannot write into a private folder: download as the current user (the warning apt prints is harmless).
(cd "$cache/debs" && apt-get download "${debs[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
for d in "$cache"/debs/*.deb; do dpkg-deb -x "$d" "$cache/root"; done

# Every binary the helpers start must find its libraries.
export LD_LIBRARY_PATH="$cache/root/usr/lib/x86_64-linux-gnu:$cache/root/usr/lib"
bad=0
for b in usr/lib/cyrus/bin/master usr/lib/cyrus/bin/imapd usr/sbin/saslpasswd2 usr/sbin/imap4d \
         usr/lib/courier/courier/imaplogin usr/bin/imapd usr/bin/couriertls usr/sbin/couriertcpd \
         usr/lib/courier/courier-authlib/authdaemond usr/libexec/gam_server; do
  if [ ! -x "$cache/root/$b" ]; then echo "missing after extraction: $b" >&2; bad=1; continue; fi
  if ldd "$cache/root/$b" | grep -q 'not found'; then echo "libraries missing for $b:" >&2; ldd "$cache/root/$b" | grep 'not found' >&2; bad=1; fi
done
[ "$bad" = 0 ] || exit 1
echo "$stamp" > "$cache/root/.complete"
echo "test servers ready in $cache"
