#!/bin/sh
# Puts `sealer wrap` in front of this machine's Postfix as a content filter,
# doing exactly the steps docs/GATEWAY.md explains. Run as root; running it
# again changes nothing that is already set up.
#
#   examples/gateway/setup-postfix.sh [PATH-TO-SEALER]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-$(command -v sealer)}

# 1. The sealer and the filter script.
install -m 755 "$binary" /usr/local/bin/sealer
install -m 755 "$here/sealer-filter" /usr/local/bin/sealer-filter
install -m 755 "$here/sealer-unwrap-filter" /usr/local/bin/sealer-unwrap-filter

# 2. A user of its own to run the filter, and its folders: generated
#    passphrases and the work folder readable by that user only.
id -u sealer >/dev/null 2>&1 ||
  useradd --system --home-dir /var/spool/sealer --shell /usr/sbin/nologin sealer
install -d -o sealer -g sealer -m 700 /var/spool/sealer \
  /var/spool/sealer/passphrases /var/spool/sealer/tmp /var/spool/sealer/replies \
  /var/spool/sealer/quarantine
install -d -o sealer -g sealer -m 700 /var/lib/sealer
install -d -o sealer -g sealer -m 750 /var/log/sealer
install -d -m 755 /etc/sealer
[ -e /etc/sealer/policy.toml ] || install -m 644 "$here/policy.toml" /etc/sealer/policy.toml
[ -e /etc/sealer/unwrap.toml ] || install -m 644 "$here/unwrap.toml" /etc/sealer/unwrap.toml
# The reply key pair: the identity readable by the filter's user only.
if [ ! -e /etc/sealer/replies.key ]; then
  /usr/local/bin/sealer keygen --output /etc/sealer/replies.key >/dev/null
  chown sealer:sealer /etc/sealer/replies.key
fi

# 3. Postfix: a pipe transport that runs the filter as that user, and the
#    SMTP server sending every message it receives through it.
postconf -M sealer/unix='sealer unix - n n - 10 pipe flags=Rq user=sealer null_sender= argv=/usr/local/bin/sealer-filter -f ${sender} -- ${recipient}'
postconf -P 'smtp/inet/content_filter=sealer:dummy'

# 4. Secure replies: mail to the reply addresses (SEALER_REPLY_ADDRESSES,
#    space-separated) goes through sealer unwrap instead: an access map's
#    FILTER action overrides the content filter for that message.
postconf -M sealer-unwrap/unix='sealer-unwrap unix - n n - 10 pipe flags=Rq user=sealer null_sender= argv=/usr/local/bin/sealer-unwrap-filter -f ${sender} -- ${recipient}'
: >/etc/postfix/sealer-replies
for address in ${SEALER_REPLY_ADDRESSES:-}; do
  echo "$address FILTER sealer-unwrap:dummy" >>/etc/postfix/sealer-replies
done
postmap /etc/postfix/sealer-replies
case $(postconf -h smtpd_recipient_restrictions) in
  *sealer-replies*) ;;
  '') postconf -e 'smtpd_recipient_restrictions = check_recipient_access hash:/etc/postfix/sealer-replies' ;;
  *) postconf -e "smtpd_recipient_restrictions = check_recipient_access hash:/etc/postfix/sealer-replies, $(postconf -h smtpd_recipient_restrictions)" ;;
esac
postfix check
if postfix status >/dev/null 2>&1; then postfix reload; else postfix start; fi
