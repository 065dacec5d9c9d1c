#!/usr/bin/env python3
"""Every string of the Big List of Naughty Strings (tests/data/blns.json,
MIT) posted in each form field in turn, through nginx to sealform-fcgi.

Each answer must be 303 or 422 (never 5xx, never a hang). A 422 page must
show a text field's value HTML-escaped. After all posts, the stored records
are decrypted (tests/tools/dump_records) and each stored field must equal
what was sent after the documented rules: leading and trailing Unicode
white space trimmed, CRLF and CR turned into LF in the message.

Prints one line per failed check (the field name and the string's index in
the list, never the string) and finally "blns: N passed, N failed".
"""
import concurrent.futures
import html
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["SEALFORM_URL"]
ORIGIN = BASE
FIELDS = ["name", "company", "job_title", "email", "message", "category"]
TEXT_FIELDS = ["name", "company", "job_title", "message"]
VALID = {"token": "", "name": "Valid Name", "company": "Valid Co", "job_title": "Tester",
         "email": "valid@example.com", "category": "general", "message": "Hello",
         "age_confirm": "yes"}
# utf8.h: Unicode White_Space plus U+FEFF.
TRIM = ("\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680\u2000\u2001\u2002\u2003"
        "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")

passed = 0
failed = 0


def check(name, ok):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL - " + name)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)
TOKEN_RE = re.compile(r'name="token" value="([^"]*)"')


def fetch_token(_):
    with urllib.request.urlopen(BASE + "/en-us/enquiry", timeout=30) as response:
        return TOKEN_RE.search(response.read().decode("utf-8")).group(1)


def post(fields):
    body = urllib.parse.urlencode(fields).encode("ascii")
    request = urllib.request.Request(BASE + "/en-us/enquiry", data=body, method="POST",
                                     headers={"Origin": ORIGIN,
                                              "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers.get("Location", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read()
    except Exception:  # a hang or a reset is a failure, not a crash of the test
        return 0, "", b""


def expected(field, value):
    if field == "message":
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip(TRIM)


def main():
    with open(os.path.join(os.environ["E2E_TOP"], "tests/data/blns.json"), encoding="utf-8") as f:
        strings = json.load(f)
    jobs = [(field, index, text) for index, text in enumerate(strings) for field in FIELDS]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(fetch_token, range(len(jobs))))
    time.sleep(2.2)  # past min_fill_seconds

    def run(job_and_token):
        (field, index, text), token = job_and_token
        fields = dict(VALID, token=token)
        fields[field] = text
        return field, index, text, post(fields)

    stored = {}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for field, index, text, (status, location, body) in pool.map(run, zip(jobs, tokens)):
            label = "%s #%d" % (field, index)
            check(label + " answered 303 or 422 (got %d)" % status, status in (303, 422))
            if status == 303:
                reference = location.rsplit("ref=", 1)[-1]
                stored[reference] = (field, index, text)
            elif status == 422 and field in TEXT_FIELDS + ["email"]:
                page = body.decode("utf-8", "replace")
                shown = html.escape(text, quote=True).replace("&#x27;", "&apos;")
                if field == "message":
                    # The textarea's own content, exactly: markup in the text
                    # that escaped its escaping would end or split it.
                    own = re.search(r'<textarea id="message" name="message"[^>]*>(.*?)</textarea>',
                                    page, re.S)
                    allowed = {shown, html.escape(text.replace("\r\n", "\n"), quote=True)
                               .replace("&#x27;", "&apos;")}
                    ok = own is not None and own.group(1) in allowed
                else:
                    # The value of the field's own input, not any value=""
                    # on the page (the honeypot's is always empty).
                    own = re.search(r'<input id="%s" name="%s"[^>]*? value="([^"]*)"'
                                    % (field, field), page)
                    ok = own is not None and own.group(1) == shown
                check(label + " re-shown escaped", ok)

    dump = os.path.join(os.environ["E2E_DIR"], "dump.json")
    subprocess.run([os.environ["DUMP_BIN"], os.environ["SEALFORM_CONFIG"], dump], check=True)
    with open(dump, encoding="utf-8") as f:
        records = json.load(f)
    for reference, (field, index, text) in stored.items():
        label = "%s #%d stored" % (field, index)
        record = records.get(reference)
        if record is None:
            check(label + " (record present)", False)
            continue
        if field == "email":
            check(label + " (email stored)", record["email"].lower() == expected(field, text).lower()
                  or not expected(field, text).isascii())
        else:
            check(label + " (equals what was sent after trimming)",
                  record[field] == expected(field, text))
    os.remove(dump)
    print("blns: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
