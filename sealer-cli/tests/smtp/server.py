#!/usr/bin/python3
"""A real SMTP server on loopback for the tests of `sealer send` (aiosmtpd).

    server.py --port N --out DIR --mode plain|starttls|implicit
              [--cert PEM --key PEM] [--user NAME --password-file FILE]

Each message it accepts is saved as DIR/N.eml (the bytes as received, after
SMTP's dot-unstuffing) and DIR/N.json (MAIL FROM, RCPT TO, whether the
session used TLS and who authenticated), each written whole, then renamed.
With --user, AUTH is required (and only over TLS). It prints "ready" once
it accepts connections and stops when its standard input closes.
"""
import argparse
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out, str(self.count))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated_as": session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword)
            else None,
        }
        for suffix, data in ((".eml", envelope.content), (".json", json.dumps(record).encode())):
            with open(base + suffix + ".partial", "wb") as f:
                f.write(data)
            os.rename(base + suffix + ".partial", base + suffix)
        return "250 2.0.0 Ok: queued as TEST%d" % self.count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--mode", choices=["plain", "starttls", "implicit"], required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password-file")
    args = parser.parse_args()

    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    kwargs = {}
    if args.user:
        with open(args.password_file) as f:
            password = f.readline().rstrip("\n")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == args.user
                and auth_data.password.decode() == password
            )
            # handled=False: aiosmtpd then answers 535 itself.
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    if args.mode == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.mode == "implicit":
        # The connection is TLS from the start; aiosmtpd 1.4 only counts
        # STARTTLS as TLS when deciding whether to offer AUTH.
        kwargs.update(ssl_context=context, auth_require_tls=False)

    controller = Controller(
        Saver(args.out), hostname="127.0.0.1", port=args.port, **kwargs
    )
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
