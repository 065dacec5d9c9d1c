#!/usr/bin/env python3
"""Load for the crash test: many concurrent valid submissions through nginx.

Fetches tokens, waits past the minimum fill time, then posts them from 16
threads, recording every reference that was answered with a 303. Writes
the references (one per line) to the file named by argv[1] and prints a
summary line "sent N, 303 M, other K".
"""
import concurrent.futures
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["SEALFORM_URL"]
COUNT = int(os.environ.get("CRASH_SUBMISSIONS", "600"))
TOKEN_RE = re.compile(r'name="token" value="([^"]*)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def token(_):
    with urllib.request.urlopen(BASE + "/en-us/enquiry", timeout=30) as response:
        return TOKEN_RE.search(response.read().decode()).group(1)


def submit(tok):
    body = urllib.parse.urlencode({
        "token": tok, "name": "Load Tester", "email": "load@example.com",
        "category": "general", "message": "load", "age_confirm": "yes"}).encode()
    request = urllib.request.Request(
        BASE + "/en-us/enquiry", data=body, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": BASE})
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")
    except Exception:
        return 0, ""


def main():
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(token, range(COUNT)))
    time.sleep(2.2)
    open(sys.argv[2], "w").close()  # tells the test that posting starts now
    accepted = []
    other = 0
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        for status, location in pool.map(submit, tokens):
            if status == 303:
                accepted.append(location.rsplit("ref=", 1)[-1])
            else:
                other += 1
    with open(sys.argv[1], "w") as out:
        out.write("\n".join(accepted) + ("\n" if accepted else ""))
    print("sent %d, 303 %d, other %d" % (COUNT, len(accepted), other))


if __name__ == "__main__":
    main()
