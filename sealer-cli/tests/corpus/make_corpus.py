#!/usr/bin/env python3
"""Writes the mail corpus for `sealer wrap`'s tests: messages shaped like
those real mail programs send (Outlook, Gmail, Apple Mail, Thunderbird, a
calendar invite, a forwarded message...), each with CRLF line endings, and
`expected.json`: what Python's own e-mail parser (an implementation
independent of ours) finds in each: subject, sender, text body, HTML body
and every attachment's name, type and SHA-256.

Run it from this folder after changing a message: python3 make_corpus.py
"""
import base64
import email
import email.policy
import hashlib
import json
import quopri
from pathlib import Path

HERE = Path(__file__).parent

def b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\n".join(text[i:i + 76] for i in range(0, len(text), 76))

def qp(text: str, charset="utf-8") -> str:
    return quopri.encodestring(text.replace("\n", "\r\n").encode(charset)).decode().replace("\r\n", "\n")

# A small valid PNG (1x1 red) and a "PDF" of binary bytes.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
ZIP = b"PK\x03\x04" + bytes((i * 7) % 256 for i in range(3000))

MESSAGES = {}

GMAIL_TEXT = qp("Grüße, Zoë! Die Werte sind normal — keine Sorge. Ein sehr langer Satz, der über die Zeilenlänge von sechsundsiebzig Zeichen hinausgeht, damit weiche Umbrüche entstehen.\n")
GMAIL_HTML = qp('<div dir="ltr">Grüße, Zoë! Die Werte sind <b>normal</b> — keine Sorge.</div>\n')
LATIN1_TEXT = qp("Sehr geehrter Herr Müller,\n\nIhre Blutwerte: Hämoglobin 14,2 g/dl, Größe 1,80 m, ½ Tablette täglich.\n\nMit freundlichen Grüßen\n", "iso-8859-1")
CP1252_B64 = b64("The “draft” settlement – €12,500 – is attached… Please don’t forward it.\r\n".encode("cp1252"))

MESSAGES["01-plain-ascii"] = """\
From: Dr. Ann Weber <a.weber@clinic.example>
To: Alex Patient <alex@example.org>
Subject: Your appointment
Date: Mon, 16 Nov 2026 09:12:00 +0100
Message-ID: <plain.1@clinic.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii; format=flowed
Content-Transfer-Encoding: 7bit
User-Agent: Mozilla Thunderbird

Dear Alex,

your appointment is on Monday at 9:30, room 12.

Regards,
Ann Weber
"""

MESSAGES["02-gmail-alternative-qp"] = f"""\
MIME-Version: 1.0
Date: Tue, 17 Nov 2026 14:03:11 +0000
Message-ID: <CAF=gmail.2@mail.example>
Subject: Results =?UTF-8?Q?f=C3=BCr_Sie?=
From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@clinic.example>
To: alex@example.org, =?UTF-8?B?Wm/DqyBQYXRpZW50?= <zoe@example.org>
Cc: gp@practice.example
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{GMAIL_TEXT}
--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{GMAIL_HTML}
--000000000000a1b2c3--
"""

MESSAGES["03-outlook-related-inline-image"] = f"""\
From: Records Office <records@clinic.example>
To: "Patient, Alex" <alex@example.org>
Subject: [secure] Scan report
Thread-Topic: [secure] Scan report
Thread-Index: AQHbXyZ1AbCdEfGh
Date: Wed, 18 Nov 2026 08:00:00 +0000
Message-ID: <DB9PR01MB1234@outlook.example>
Accept-Language: de-DE, en-US
Content-Language: en-US
X-MS-Has-Attach: yes
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_004_outer_"

--_004_outer_
Content-Type: multipart/related; boundary="_003_related_"; type="multipart/alternative"

--_003_related_
Content-Type: multipart/alternative; boundary="_000_alt_"

--_000_alt_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Please find the report attached.
[cid:image001.png@01DB0000]

--_000_alt_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><body><p>Please find the report attached.</p><img src=3D"cid:image001=
.png@01DB0000"></body></html>

--_000_alt_--

--_003_related_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"; size=69
Content-ID: <image001.png@01DB0000>
Content-Transfer-Encoding: base64

{b64(PNG)}

--_003_related_--

--_004_outer_
Content-Type: application/pdf; name="report.pdf"
Content-Description: report.pdf
Content-Disposition: attachment; filename="report.pdf"; size={len(PDF)}
Content-Transfer-Encoding: base64

{b64(PDF)}

--_004_outer_--
"""

MESSAGES["04-non-ascii-attachment-names"] = f"""\
From: records@clinic.example
To: zoe@example.org
Subject: =?UTF-8?B?QmVmdW5kZSB1bmQgUsO2bnRnZW5iaWxkZXI=?=
Date: Thu, 19 Nov 2026 10:00:00 +0100
Message-ID: <names.4@clinic.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b4"

--b4
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Anbei die Befunde.

--b4
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''Befund%20M%C3%BCller%20%E2%80%93%202026.pdf
Content-Transfer-Encoding: base64

{b64(PDF)}
--b4
Content-Type: image/png; name="=?UTF-8?B?UsO2bnRnZW4g6IO46YOoLnBuZw==?="
Content-Disposition: attachment; filename="=?UTF-8?B?UsO2bnRnZW4g6IO46YOoLnBuZw==?="
Content-Transfer-Encoding: base64

{b64(PNG)}
--b4
Content-Type: application/zip
Content-Disposition: attachment;
 filename*0*=UTF-8''%E5%8F%82%E8%80%83%E8%B3%87%E6%96%99%20;
 filename*1*=%E2%80%94%20archive.zip
Content-Transfer-Encoding: base64

{b64(ZIP)}
--b4--
"""

MESSAGES["05-latin1-quoted-printable"] = f"""\
From: =?ISO-8859-1?Q?Andr=E9_B=E4cker?= <andre@lab.example>
To: patient@example.org
Subject: =?ISO-8859-1?Q?Laborergebnisse_f=FCr_Herrn_M=FCller?=
Date: Fri, 20 Nov 2026 07:45:00 +0100
Message-ID: <latin1.5@lab.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

{LATIN1_TEXT}"""

jp_body = "山田様\n\n検査結果をお送りします。ご確認ください。\n"
JP_FROM = base64.b64encode("山田".encode("iso-2022-jp")).decode()
JP_SUBJECT = base64.b64encode("検査結果".encode("iso-2022-jp")).decode()
JP_B64 = b64(jp_body.replace("\n", "\r\n").encode("shift_jis"))
MESSAGES["06-japanese-shift-jis"] = f"""\
From: =?ISO-2022-JP?B?{JP_FROM}?= <yamada@hospital.example>
To: patient@example.jp
Subject: =?ISO-2022-JP?B?{JP_SUBJECT}?=
Date: Sat, 21 Nov 2026 12:00:00 +0900
Message-ID: <sjis.6@hospital.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=Shift_JIS
Content-Transfer-Encoding: base64

{JP_B64}
"""

inner = f"""\
From: Lab <lab@lab.example>
To: Dr. Ann Weber <a.weber@clinic.example>
Subject: Histology for patient 4711
Date: Mon, 16 Nov 2026 16:00:00 +0100
Message-ID: <inner.7@lab.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner7"

--inner7
Content-Type: text/plain; charset=utf-8

Histology attached.

--inner7
Content-Type: application/pdf; name="histology.pdf"
Content-Disposition: attachment; filename="histology.pdf"
Content-Transfer-Encoding: base64

{b64(PDF[:5000])}
--inner7--
"""
MESSAGES["07-forwarded-message"] = f"""\
From: Dr. Ann Weber <a.weber@clinic.example>
To: colleague@hospital.example
Subject: Fwd: Histology for patient 4711
Date: Tue, 17 Nov 2026 09:00:00 +0100
Message-ID: <fwd.7@clinic.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd7"

--fwd7
Content-Type: text/plain; charset=utf-8

See the forwarded message.

--fwd7
Content-Type: message/rfc822
Content-Disposition: attachment

{inner}
--fwd7--
"""

MESSAGES["08-eight-bit-body"] = """\
From: anna@kanzlei.example
To: mandant@example.org
Subject: Vertrag – Entwurf
Date: Wed, 18 Nov 2026 18:30:00 +0100
Message-ID: <8bit.8@kanzlei.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Sehr geehrte Mandantin,

anbei der Entwurf. Änderungen bitte bis Freitag – danke!
Ελληνικά, русский, 中文, emoji 🙂.
"""

ICS = """BEGIN:VCALENDAR
PRODID:-//Example Clinic//EN
VERSION:2.0
METHOD:REQUEST
BEGIN:VEVENT
UID:appointment-4711@clinic.example
DTSTART:20261130T093000Z
DTEND:20261130T100000Z
SUMMARY:Follow-up appointment
ORGANIZER:mailto:a.weber@clinic.example
ATTENDEE;RSVP=TRUE:mailto:alex@example.org
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")
MESSAGES["09-calendar-invite"] = f"""\
From: Dr. Ann Weber <a.weber@clinic.example>
To: alex@example.org
Subject: Invitation: Follow-up appointment
Date: Thu, 19 Nov 2026 11:00:00 +0000
Message-ID: <invite.9@clinic.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed9"

--mixed9
Content-Type: multipart/alternative; boundary="alt9"

--alt9
Content-Type: text/plain; charset="UTF-8"

You have been invited to: Follow-up appointment, 30 Nov 2026 09:30 UTC.

--alt9
Content-Type: text/html; charset="UTF-8"

<p>You have been invited to: <b>Follow-up appointment</b>.</p>

--alt9
Content-Type: text/calendar; charset="UTF-8"; method=REQUEST
Content-Transfer-Encoding: 7bit

{ICS}
--alt9--

--mixed9
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

{b64(ICS.encode())}
--mixed9--
"""

MESSAGES["10-no-body"] = """\
From: records@clinic.example
To: alex@example.org
Subject: (no text)
Date: Fri, 20 Nov 2026 10:00:00 +0000
Message-ID: <nobody.10@clinic.example>
"""

MESSAGES["11-attachment-only"] = f"""\
From: scanner@clinic.example
To: records@clinic.example
Subject: Scanned document
Date: Fri, 20 Nov 2026 10:05:00 +0000
Message-ID: <scan.11@clinic.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="scan11"

--scan11
Content-Type: application/pdf; name="scan0001.pdf"
Content-Disposition: attachment; filename="scan0001.pdf"
Content-Transfer-Encoding: base64

{b64(PDF)}
--scan11--
"""

MESSAGES["12-html-only"] = f"""\
From: Example Insurance <noreply@insurance.example>
To: alex@example.org
Subject: Your policy documents
Date: Sat, 21 Nov 2026 06:00:00 +0000
Message-ID: <html.12@insurance.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

{b64('<!DOCTYPE html><html><body><h1>Policy №123</h1><p>Premium: 42 €</p></body></html>'.encode())}
"""

MESSAGES["13-apple-mixed-inline"] = f"""\
From: Alex Patient <alex@example.org>
To: records@clinic.example
Subject: Photo of the rash
Date: Sun, 22 Nov 2026 20:00:00 +0100
Message-ID: <apple.13@example.org>
Mime-Version: 1.0 (Mac OS X Mail 16.0)
Content-Type: multipart/mixed; boundary="Apple-Mail=_13"

--Apple-Mail=_13
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

Here is the photo:

--Apple-Mail=_13
Content-Disposition: inline; filename=rash.png
Content-Type: image/png; name="rash.png"
Content-Transfer-Encoding: base64

{b64(PNG)}
--Apple-Mail=_13
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

It started on Friday.
--Apple-Mail=_13--
"""

MESSAGES["14-reply-in-thread"] = """\
From: Dr. Ann Weber <a.weber@clinic.example>
To: Alex Patient <alex@example.org>
Subject: Re: Photo of the rash
Date: Mon, 23 Nov 2026 08:15:00 +0100
Message-ID: <reply.14@clinic.example>
In-Reply-To: <apple.13@example.org>
References: <apple.13@example.org>
 <earlier.1@example.org>
Reply-To: Records <records@clinic.example>
X-Seal: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Thank you. It looks like a mild allergy; see the plan below.

> Here is the photo:
"""

MESSAGES["15-outlook-windows-1252"] = f"""\
From: "O'Brien, Siobhan" <s.obrien@law.example>
To: client@example.org
Subject: =?Windows-1252?Q?Settlement_=93draft=94?=
Date: Mon, 23 Nov 2026 09:00:00 +0000
Message-ID: <cp1252.15@law.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="Windows-1252"
Content-Transfer-Encoding: base64

{CP1252_B64}
"""

MESSAGES["16-unnamed-binary-part"] = f"""\
From: device@clinic.example
To: records@clinic.example
Subject: ECG export
Date: Mon, 23 Nov 2026 09:30:00 +0000
Message-ID: <ecg.16@clinic.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ecg16"

--ecg16
Content-Type: text/plain

ECG data attached.
--ecg16
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

{b64(ZIP)}
--ecg16--
"""

def crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")

def norm(text: str) -> str:
    return text.replace("\r\n", "\n")

expected = {}
for name, text in MESSAGES.items():
    raw = crlf(text)
    (HERE / f"{name}.eml").write_bytes(raw)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    texts, htmls, attachments = [], [], []

    def leaves(part):
        """The leaf parts; a nested message is one leaf (one attachment)."""
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            for sub in part.iter_parts():
                yield from leaves(sub)
        else:
            yield part

    for part in leaves(msg):
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        body_like = disposition != "attachment" and filename is None
        if ctype == "text/plain" and body_like:
            texts.append(norm(part.get_content()))
        elif ctype == "text/html" and body_like:
            htmls.append(norm(part.get_content()))
        elif ctype == "message/rfc822":
            # Its bytes as Python re-serialises them differ from the
            # original's; the Rust test parses the attachment instead.
            attachments.append({"name": filename, "type": ctype, "sha256": None,
                                "nested_subject": part.get_content()["subject"]})
        else:
            if part.get_content_maintype() == "text":
                data = part.get_content().encode("utf-8")
            else:
                data = part.get_content()
            attachments.append({
                "name": filename,
                "type": ctype,
                "sha256": hashlib.sha256(data).hexdigest(),
            })
    expected[name] = {
        "subject": msg["subject"] or "",
        "from": str(msg["from"]) if msg["from"] else None,
        "text": "\n".join(texts),
        "html": "".join(htmls),
        "attachments": attachments,
    }
(HERE / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
print(f"{len(MESSAGES)} messages")
