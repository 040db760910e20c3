#!/bin/sh
# Starts a private Courier-IMAP (authdaemond + STARTTLS and implicit-TLS listeners) for the tests.
# Courier compiles its paths in (/etc/courier, /usr/lib/courier, /run/courier), so this runs inside a private mount
# namespace (`unshare -m --propagation private`) in which the extracted package tree is overlaid on /usr and /etc and
# the instance's own folder is bound on /run. The daemons keep the namespace alive after this script exits.
# Usage: courier-start.sh EXTRACTED_ROOT INSTANCE_DIR   (INSTANCE_DIR holds etc/courier/{imapd,imapd-ssl,...}, run/)
set -eu
R=$1
I=$2
mkdir -p "$I/etc-upper" "$I/etc-work" "$I/usr-work" "$I/run/courier/authdaemon"
mount -t overlay overlay -o "lowerdir=$R/usr:/usr" /usr
mount -t overlay overlay -o "lowerdir=$R/etc:/etc,upperdir=$I/etc-upper,workdir=$I/etc-work" /etc
mount --bind "$I/run" /run
cp -p "$I"/conf/* /etc/courier/
chmod 600 /etc/courier/userdb
/usr/sbin/makeuserdb
/usr/bin/makedat.courier -src=/etc/courier/imapaccess -file=/etc/courier/imapaccess.dat -tmp=/etc/courier/imapaccess.tmp -cidr
chown courier /run/courier /run/courier/authdaemon
/usr/sbin/authdaemond start
/usr/lib/courier/imapd start
/usr/lib/courier/imapd-ssl start
