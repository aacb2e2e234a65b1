#!/usr/bin/python3
"""scanner_browser.py — the scanner client (/scanner/) used as a person would, in a real headless
Chromium (Debian's chromium, driven by chromium-driver through python3-selenium) against a real
wmsd and PostgreSQL: signs in with a staff key, receives a whole shipment typed as keyboard-wedge
scans (GS1-128 with the AIM prefix and GS, as the control character and as a substitute), answers
every question (dock check-in, over-receipt, unexpected item, unexpected lot, expired), closes it
short and reads the discrepancy report, checks the stock through the API, puts it away; then kills
the server in the middle of 20 scans, reloads the page while it is down, starts it again and
checks that every scan was applied exactly once and the queue emptied; then picks, packs (label)
and ships an order; then, signed in with a consolidation hub's staff key, receives JIT parcels
(by the label's Code 128, by the order when the label is unreadable, a late one by its Data
Matrix with an exception recorded), bags them (one scan made while the server is down), closes
the bag and hands it to the line-haul, checking the states through the API. A screenshot of each screen goes to $SCANNER_SHOTS (default
build/scanner-shots).

Needs: WMSD (the wmsd binary), DATABASE_URL (a PostgreSQL cluster: tests/with-pg.sh gives one; a
database of its own is created in it). Exit status 0 when every check passed; the last lines say
'N passed, N failed'.
"""
import datetime
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WMSD = os.environ.get("WMSD") or os.path.join(ROOT, "build/rel/wmsd")
SHOTS = os.environ.get("SCANNER_SHOTS") or os.path.join(ROOT, "build/scanner-shots")
GS = "\x1d"

passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok   {what}", flush=True)
    else:
        failed += 1
        print(f"FAIL {what}", flush=True)
        raise AssertionError(what)


# --- the database, the server -------------------------------------------------------------

def own_database():
    """A database of this test's own in the cluster of DATABASE_URL; its URL."""
    url = os.environ["DATABASE_URL"]
    name = f"wms_scanner_{os.getpid()}"
    subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", url, "-c", f"CREATE DATABASE {name}"],
                   check=True, stdout=subprocess.DEVNULL)
    m = re.match(r"^(postgres(?:ql)?://[^/?]*)(/[^?]*)?(\?.*)?$", url)
    if not m:
        raise RuntimeError("DATABASE_URL must be a postgresql:// URI: " + url)
    return m.group(1) + "/" + name + (m.group(3) or "")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db_url):
        self.env = dict(os.environ, DATABASE_URL=db_url, WMS_LOG_LEVEL="warn")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.log = open(os.path.join(SHOTS, "wmsd.log"), "ab")

    def wmsd(self, *args):
        return subprocess.run([WMSD, *args], env=self.env, check=True, capture_output=True, text=True).stdout

    def start(self):
        env = dict(self.env, WMS_LISTEN=f"127.0.0.1:{self.port}")
        self.proc = subprocess.Popen([WMSD, "serve"], env=env, stdout=self.log, stderr=self.log)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("wmsd exited at start; see " + self.log.name)
            time.sleep(0.1)
        raise RuntimeError("wmsd did not become ready")

    def kill(self):
        """SIGKILL: requests in flight get no answer, as when the Wi-Fi or the server drops."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def api(srv, method, path, key, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(srv.base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def api_ok(srv, method, path, key, body=None):
    status, j = api(srv, method, path, key, body)
    if status >= 300:
        raise RuntimeError(f"{method} {path}: {status} {j}")
    return j


def check_digit(digits):
    """The GS1 mod-10 check digit of digits (without it)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def sscc(serial):
    body = "0" + "614141" + str(serial).zfill(10)
    return body + check_digit(body)


# --- the browser ------------------------------------------------------------------------------

class Scanner:
    def __init__(self, base):
        o = webdriver.ChromeOptions()
        o.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=430,900", "--force-device-scale-factor=1", "--mute-audio",
                  "--no-first-run", "--disable-extensions"):
            o.add_argument(a)
        o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
        self.d.set_page_load_timeout(30)
        self.base = base
        self.console = []

    def errors(self):
        """The page's console errors so far, but the refused or failed requests the test causes
        (4xx answers, the server down): a script error or a Content-Security-Policy violation."""
        self.console += self.d.get_log("browser")
        return [e["message"] for e in self.console if e["level"] == "SEVERE"
                and "Failed to load resource" not in e["message"]
                and "net::ERR_CONNECTION_REFUSED" not in e["message"]]

    def quit(self):
        self.d.quit()

    def wait(self, cond, what, timeout=20):
        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.1,
                                 ignored_exceptions=[StaleElementReferenceException]).until(lambda d: cond())
        except TimeoutException:
            self.shot("failure")
            raise AssertionError(f"timed out waiting for: {what}; screen: {self.text('screen')[:600]}; "
                                 f"message: {self.text('message')}; net: {self.text('net')}")

    def el(self, id_):
        return self.d.find_element(By.ID, id_)

    def css(self, sel):
        return self.d.find_elements(By.CSS_SELECTOR, sel)

    def text(self, id_):
        try:
            return self.el(id_).text
        except Exception:
            return ""

    def click(self, sel):
        self.wait(lambda: self.css(sel) and self.css(sel)[0].is_enabled() and self.css(sel)[0].is_displayed(), sel)
        self.css(sel)[0].click()

    def shot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        self.d.execute_script("document.getElementById('screen').scrollTop = 0")
        self.d.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
        if name != "failure":
            shown = self.text("screen") + " " + self.text("prompt")
            check(not re.search(r"\b(null|undefined|NaN)\b|\[object ", shown), f"screen {name}: nothing undefined shown")
            check(not self.errors(), f"screen {name}: no script error or CSP violation: {self.errors()}")

    def pending(self):
        t = self.text("pending")
        return int(t) if t.isdigit() else -1

    def wedge(self, text):
        """Types text into the focused scan field as a keyboard-wedge scanner does: fast keys, GS
        as Ctrl+] (the chord of the control character), Enter at the end."""
        self.d.execute_script("document.getElementById('scan').focus()")
        ac = ActionChains(self.d, duration=0)
        for i, part in enumerate(text.split(GS)):
            if i:
                ac.key_down(Keys.CONTROL).send_keys("]").key_up(Keys.CONTROL)
            if part:
                ac.send_keys(part)
        ac.send_keys(Keys.ENTER)
        ac.perform()

    def msg(self):
        return self.text("message")

    def prompt_title(self):
        p = self.css("#prompt:not([hidden]) h1")
        return p[0].text if p else None

    def prompt_seq(self):
        p = self.css("#prompt:not([hidden]) .box")
        return p[0].get_attribute("data-seq") if p else None

    def answer(self, title_part, action="confirm", shot=None):
        self.wait(lambda: (self.prompt_title() or "").find(title_part) >= 0, f"the question '{title_part}'")
        if shot:
            self.shot(shot)
        seq = self.prompt_seq()
        self.click(f"#prompt [data-action='{action}']")
        # closed, or already the next question (a scan can raise two in a row)
        self.wait(lambda: self.prompt_seq() != seq, "the question closed")

    def configure(self, back, shot=None, **values):
        """Sets the Settings screen's fields (by id) and saves, then goes to the screen back."""
        self.click("#menu")
        self.click("#go-settings")
        for k, v in values.items():
            if self.el(k).tag_name == "select":
                self.d.execute_script("arguments[0].value = arguments[1]", self.el(k), v)
            else:
                self.el(k).clear()
                self.el(k).send_keys(v)
        self.click("#save-settings")
        if shot:
            self.shot(shot)
        self.click("#menu")
        self.click("#go-" + back)

    def settle(self, timeout=30):
        """Waits until no scan is waiting."""
        self.wait(lambda: self.pending() == 0 and self.prompt_title() is None, "the queue empty", timeout)


# --- the flows --------------------------------------------------------------------------------

def main():
    os.makedirs(SHOTS, exist_ok=True)
    srv = Server(own_database())
    srv.wmsd("migrate")
    keys = {}
    for line in srv.wmsd("demo").splitlines():
        m = re.match(r"\s+(\S+(?: \S+)?)\s+(wms_\S+)$", line)
        if m:
            keys[m.group(1)] = m.group(2)
    staff, seller, platform = keys["staff ES-MAD-FC"], keys["seller ACME-AUDIO"], keys["platform"]
    hub_staff = keys["staff CN-SZX-HUB"]
    srv.start()
    browser = None
    try:
        browser = Scanner(srv.base)
        order = run(srv, browser, staff, seller, platform)
        run_returns(srv, browser, staff, platform, order)
        run_hub(srv, browser, hub_staff, seller, platform)
    finally:
        if browser:
            browser.quit()
        srv.stop()


def run(srv, b, staff, seller, platform):
    today = datetime.date.today()
    # the served files: a strict policy, revalidation, the manifest
    req = urllib.request.Request(srv.base + "/scanner/")
    with urllib.request.urlopen(req) as r:
        csp = r.headers["Content-Security-Policy"]
        etag = r.headers["ETag"]
        check("script-src 'self'" in csp and "unsafe-inline" not in csp and r.headers["Cache-Control"] == "no-cache",
              "/scanner/ is served with a strict CSP and Cache-Control: no-cache")
    req = urllib.request.Request(srv.base + "/scanner/", headers={"If-None-Match": etag})
    try:
        urllib.request.urlopen(req)
        check(False, "a revalidation with the ETag answers 304")
    except urllib.error.HTTPError as e:
        check(e.code == 304, "a revalidation with the ETag answers 304")
    with urllib.request.urlopen(srv.base + "/scanner/manifest.webmanifest") as r:
        man = json.loads(r.read())
        check(r.headers["Content-Type"] == "application/manifest+json" and man["start_url"] == "/scanner/",
              "the web app manifest is served")

    # the shipment: EB-100 lot L1 x10 and SPK-200 x5, one carton, in transit (not checked in)
    carton = sscc(int(time.time()) % 10**9)
    ship = api_ok(srv, "POST", "/v1/inbound-shipments", seller, {
        "warehouse": "ES-MAD-FC", "mode": "semi_warehouse",
        "lines": [{"sku": "EB-100", "qty": 10, "lot": "L1"}, {"sku": "SPK-200", "qty": 5}],
        "cartons": [{"sscc": carton, "lines": [{"line": 1, "qty": 10}, {"line": 2, "qty": 5}]}],
        "handover": {"type": "drop_off", "expected_arrival": str(today)}})
    api_ok(srv, "POST", f"/v1/inbound-shipments/{ship['id']}/in-transit", seller,
           {"carrier": "DHL", "tracking_number": "JD014600006281234567"})

    # sign in
    b.d.get(srv.base + "/scanner/")
    b.wait(lambda: b.css("#key"), "the sign-in screen")
    check(b.d.execute_script("return typeof BarcodeDetector") == "undefined" and not b.el("camera").is_displayed(),
          "no barcode detector in this browser: the camera button is hidden, the wedge and typing remain")
    b.shot("signin")
    b.el("key").send_keys("wms_not-a-real-key-at-all-000000000" + Keys.ENTER)
    b.wait(lambda: "not valid" in b.msg(), "a wrong key refused")
    b.el("key").clear()
    b.el("key").send_keys(staff + Keys.ENTER)
    b.wait(lambda: b.text("warehouse") == "ES-MAD-FC", "the warehouse in the header")
    check("signed in at ES-MAD-FC" in b.msg(), "the key typed as a wedge scan signs in once: " + b.msg())
    check(staff not in b.d.find_element(By.TAG_NAME, "body").text, "the key is never shown on the screen")
    check("staff key" in b.text("operator") or "demo" in b.text("operator"), "the operator in the header: " + b.text("operator"))
    b.shot("home")

    # receiving: the carton label, with the AIM prefix. The wedge's gap between keys is widened
    # from 60 to 150 ms: a loaded test machine types slower than a scanner
    b.configure("receiving", wedge_gap_ms="150")
    b.wait(lambda: "Scan the ASN" in b.text("screen"), "the receiving screen")
    b.click("#list-shipments")
    b.wait(lambda: b.css(f"[data-asn='{ship['asn']}']"), "the shipment listed")
    check(bool(b.css("[data-asn='ASN-DE0000D001']")), "the demo shipment of `wmsd demo` is listed too")
    b.shot("receiving-start")
    b.wedge("]C100" + carton)
    b.wait(lambda: carton in b.text("asn"), "the carton chosen")
    # GS1-128 with the AIM prefix: (02) EB-100 (37) 4 <GS> (10) L1 → not checked in yet: check in
    b.wedge("]C1" + "0204006381333931" + "374" + GS + "10L1")
    b.answer("Not checked in", shot="receiving-checkin")
    b.wait(lambda: "+4 EB-100" in b.msg(), "4 units of lot L1 received")
    b.settle()
    check("4 / 15" in b.text("screen"), "the progress shows 4 of 15")
    b.shot("receiving")
    # 8 more of lot L1: 12 > 10 + 10% → over-receipt
    b.wedge("]C1" + "0204006381333931" + "378" + GS + "10L1")
    b.answer("Over-receipt", shot="receiving-over-receipt")
    b.wait(lambda: "+8 EB-100" in b.msg(), "the over-receipt confirmed")
    # CBL-USB (EAN-8) is not on the shipment → unexpected item
    b.wedge("]E4" + "96385074")
    b.answer("Not on this shipment", shot="receiving-unexpected-item")
    b.wait(lambda: "+1 CBL-USB" in b.msg(), "the unexpected item received")
    # EB-100 lot L9: on no line → unexpected lot
    b.wedge("]C1" + "0104006381333931" + "10L9")
    b.answer("Unexpected lot", shot="receiving-unexpected-lot")
    b.wait(lambda: b.pending() == 0 and "+1 EB-100" in b.msg(), "the unexpected lot received")
    # EB-100 lot L1 expired 2020-01-01 → into quarantine; the line is full: over-receipt too
    b.wedge("]C1" + "0104006381333931" + "17200101" + "10L1")
    b.answer("Expired", shot="receiving-expired")
    b.answer("Over-receipt")
    b.wait(lambda: "quarantine" in b.msg(), "the expired unit received into quarantine")
    # a damaged SPK-200, scanned as a plain UPC-A while the quantity field has the focus: the
    # fast burst is a scan, the field keeps what was typed in it
    b.click("#damaged")
    b.el("qty").click()
    b.el("qty").send_keys("1")
    time.sleep(0.3)
    ActionChains(b.d, duration=0).send_keys("036000291452" + Keys.ENTER).perform()
    b.wait(lambda: "damaged" in b.msg(), "a damaged unit received")
    b.settle()
    # the scanner set to send GS as '~': SPK-200 (01) + (10) X1 ~ (17) a year on
    b.configure("receiving", shot="settings", gs_mode="substitute", gs_substitute="~")
    exp = (today + datetime.timedelta(days=400)).strftime("%y%m%d")
    b.wedge("]C1" + "0100036000291452" + "10X1" + "~" + "17" + exp)
    b.wait(lambda: "+1 SPK-200" in b.msg(), "the GS substitute read as GS: SPK-200 lot X1")
    b.settle()
    b.configure("receiving", gs_mode="control")
    # close: SPK-200 is 4 short → confirm the shortage → the discrepancy report
    b.click("#close")
    b.answer("Close with a shortage", shot="receiving-close-short")
    b.wait(lambda: b.css("#report"), "the discrepancy report")
    b.shot("receiving-report")
    rep = b.text("report")
    check("short 3" in rep and "over 3" in rep and "unexpected 2" in rep and "expired 1" in rep and "damaged 1" in rep,
          "the report: short 3, over 3 (12 good + 1 expired on 10), unexpected 2, expired 1, damaged 1: " + rep)
    doc = api_ok(srv, "GET", f"/v1/inbound-shipments/{ship['id']}", staff)
    check(doc["state"] == "closed", "the shipment is closed")
    lines = {(l["sku"], l.get("lot")): l for l in doc["lines"]}
    l1 = lines[("EB-100", "L1")]
    check((l1["received_good"], l1["received_damaged"], l1["received_expired"]) == (12, 0, 1),
          f"EB-100 L1: good {l1['received_good']}, damaged {l1['received_damaged']}, expired {l1['received_expired']}")
    spk = lines[("SPK-200", None)]
    check((spk["received_good"], spk["received_damaged"]) == (1, 1), "SPK-200: one good, one damaged")
    inv = api_ok(srv, "GET", "/v1/inventory?location=RECEIVING&sku=SPK-200", staff)["items"]
    check([(i.get("lot"), i["qty"], i.get("expiry")) for i in inv] ==
          [("X1", 1, (today + datetime.timedelta(days=400)).isoformat())],
          f"the substitute-GS scan's lot X1 and expiry reached the stock: {inv}")
    check(lines[("EB-100", "L9")]["unexpected"] and lines[("CBL-USB", None)]["unexpected"],
          "the unexpected lot and item are unexpected lines")
    inv = api_ok(srv, "GET", "/v1/inventory?location=RECEIVING&sku=EB-100", staff)["items"]
    good = sum(i["qty"] for i in inv if i.get("lot") == "L1")
    check(good == 12, f"12 sellable EB-100 of lot L1 in RECEIVING (the API says {good})")
    quar = api_ok(srv, "GET", "/v1/inventory?location=QUARANTINE&sku=EB-100", staff)["items"]
    check(sum(i["qty"] for i in quar) == 1, "the expired EB-100 in QUARANTINE")
    quar = api_ok(srv, "GET", "/v1/inventory?location=QUARANTINE&sku=SPK-200", staff)["items"]
    check(sum(i["qty"] for i in quar) == 1, "the damaged SPK-200 in QUARANTINE")

    # putaway: 12 of lot L1 to B-01-01
    b.click("#to-putaway")
    b.wait(lambda: "Scan an item to put away" in b.text("screen"), "the putaway screen")
    b.wait(lambda: "EB-100" in b.text("screen"), "what waits in RECEIVING listed")
    b.wedge("]C1" + "0104006381333931" + "10L1")
    b.wait(lambda: "Scan the destination bin" in b.text("next"), "asked for the bin")
    b.el("qty").send_keys("12")
    b.wedge("B-01-01")
    b.wait(lambda: "→ B-01-01" in b.msg(), "12 units put away")
    b.settle()
    b.shot("putaway")
    inv = api_ok(srv, "GET", "/v1/inventory?location=B-01-01&sku=EB-100", staff)["items"]
    check(sum(i["qty"] for i in inv if i.get("lot") == "L1") == 12, "12 EB-100 of lot L1 in B-01-01")

    # the demo shipment of `wmsd demo` (ASN-DE0000D001: 12 x SPK-200, 30 x CBL-USB), received
    # and put away as a new user would after `make run`; the server killed in the middle of its
    # first 20 scans
    demo = api_ok(srv, "GET", "/v1/inbound-shipments/ASN-DE0000D001", staff)
    check(demo["state"] == "in_transit", "the demo shipment is in transit")
    b.configure("receiving", max_backoff_s="3")
    b.click("#done")
    b.click("#list-shipments")
    b.click("[data-asn='ASN-DE0000D001']")
    b.wait(lambda: "ASN-DE0000D001" in b.text("asn"), "the demo shipment chosen")
    b.wedge("96385074")
    b.answer("Not checked in")
    b.settle()
    for i in range(7):
        b.wedge("96385074")
    srv.kill()
    for i in range(12):
        b.wedge("96385074")
    b.wait(lambda: "server not reached" in b.text("net"), "the screen says the server is not reached")
    n = b.pending()
    check(12 <= n <= 20, f"{n} scans wait (at least the 12 typed while the server was down)")
    b.shot("offline")
    b.d.refresh()
    b.wait(lambda: b.css("#pending") and b.pending() == n, f"after a reload with the server down, still {n} waiting", 30)
    srv.start()
    b.settle(90)
    b.wait(lambda: "server not reached" not in b.text("net"), "the screen back to normal")
    doc = api_ok(srv, "GET", "/v1/inbound-shipments/ASN-DE0000D001", staff)
    got = {l["sku"]: l["received_good"] for l in doc["lines"]}
    check(got == {"SPK-200": 0, "CBL-USB": 20}, f"every one of the 20 scans applied exactly once (received {got})")
    check(b.d.execute_script("return window.wmsScanner.entries.length") == 0, "the durable queue is empty")
    b.shot("receiving-after-restart")
    # the rest of it with quantities: 10 cables, 12 speakers; closed with nothing short
    b.el("qty").send_keys("10")
    b.wedge("96385074")
    b.wait(lambda: "+10 CBL-USB" in b.msg(), "10 cables at once")
    b.el("qty").send_keys("12")
    b.wedge("036000291452")
    b.wait(lambda: "+12 SPK-200" in b.msg(), "12 speakers at once")
    b.settle()
    b.wait(lambda: "close the shipment" in b.text("next"), "told to close: everything expected is in")
    b.click("#close")
    b.wait(lambda: b.css("#report"), "the demo shipment's report")
    check("short 0" in b.text("report") and "lines with a discrepancy 0" in b.text("report"),
          "the demo shipment closed without discrepancy: " + b.text("report"))
    b.click("#to-putaway")
    for code, qty, bin_ in (("96385074", "30", "B-01-01"), ("036000291452", "12", "A-01-02")):
        b.wedge(code)
        b.wait(lambda: "Scan the destination bin" in b.text("next"), "asked for the bin")
        b.el("qty").send_keys(qty)
        b.wedge(bin_)
        b.wait(lambda: f"→ {bin_}" in b.msg(), f"{qty} put away in {bin_}")
        b.settle()
    # the putaway went first-expired-first-out over what RECEIVING held: what is left there is
    # one unit of each from the first shipment (the unexpected cable, one speaker)
    inv = api_ok(srv, "GET", "/v1/inventory?location=RECEIVING", staff)["items"]
    left = {}
    for i in inv:
        left[i["sku"]["sku_code"]] = left.get(i["sku"]["sku_code"], 0) + i["qty"]
    check(left.get("CBL-USB") == 1 and left.get("SPK-200") == 1,
          f"the demo shipment is all put away: RECEIVING holds {left}")

    # picking: an order of 2 x EB-100
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(minutes=1)
    order = api_ok(srv, "POST", "/v1/orders", platform, {
        "client_order_id": f"MP-SCAN-{os.getpid()}", "seller": "ACME-AUDIO", "mode": "semi_warehouse",
        "destination": {"name": "Ana García", "address": "Calle Mayor 1", "city": "Madrid",
                        "postal_code": "28013", "country": "ES"},
        "lines": [{"sku": "EB-100", "qty": 2, "unit_price": 1999}],
        "currency": "USD", "amount_paid": 3998, "placed_at": now.isoformat().replace("+00:00", "Z")})
    check(order["state"] == "allocated", "the order is allocated")
    b.click("#menu")
    b.click("#go-picking")
    b.click("#claim")
    b.wait(lambda: "Go to bin" in b.text("next"), "told which bin to go to")
    b.shot("picking-bin")
    walk = 0
    while "done" not in b.text("next") and walk < 10:
        walk += 1
        m = re.search(r"Go to bin (\S+) and scan it", b.text("next"))
        check(m is not None, "the next bin: " + b.text("next"))
        b.wedge(m.group(1))
        b.wait(lambda: "Pick " in b.text("next"), "told what to pick")
        if walk == 1:
            b.shot("picking-item")
            # a short bin: the operator counts one unit fewer than the bin holds
            bin_ = m.group(1)
            before = sum(i["qty"] for i in api_ok(srv, "GET", f"/v1/inventory?location={bin_}&sku=EB-100", staff)["items"])
            b.click("#stock-issue")
            b.wait(lambda: (b.prompt_title() or "").startswith("Count"), "asked for the count")
            b.el("counted").send_keys(str(before - 1))
            b.shot("picking-stock-issue")
            b.click("#prompt [data-action='confirm']")
            b.wait(lambda: "1 missing" in b.msg(), "the stock issue reported")
            after = sum(i["qty"] for i in api_ok(srv, "GET", f"/v1/inventory?location={bin_}&sku=EB-100", staff)["items"])
            check(after == before - 1, f"the stock issue took the missing unit out of {bin_}: {before} → {after}")
        b.wedge("4006381333931")
        b.settle()
        b.wait(lambda: "Go to bin" in b.text("next") or "done" in b.text("next") or "Pick " in b.text("next"), "the next step")
        while "Pick " in b.text("next"):
            b.wedge("4006381333931")
            b.settle()
    b.wait(lambda: "List done" in b.text("next"), "the list is done")
    b.shot("picking-done")
    check(api_ok(srv, "GET", f"/v1/orders/{order['id']}", staff)["lines"][0]["picked"] == 2, "2 units picked")

    # packing
    b.click("#menu")
    b.click("#go-packing")
    b.click(f"[data-order='MP-SCAN-{os.getpid()}']")
    b.click("[data-type='BOX-S']")
    b.wait(lambda: "Scan the items" in b.text("next"), "the package open")
    b.wedge("4006381333931")
    b.wedge("4006381333931")
    b.settle()
    b.wait(lambda: "weigh and close" in b.text("next"), "told to close")
    b.shot("packing")
    b.el("weight").send_keys("420")
    b.click("#close-package")
    b.wait(lambda: b.css("#tracking") and b.css("#zpl"), "the tracking number and the label")
    tracking = b.text("tracking")
    check("^XA" in b.text("zpl") and tracking in b.text("zpl").replace(">:", ""), "the ZPL label shows the tracking number")
    b.shot("packing-label")

    # ship
    b.click("#menu")
    b.click("#go-ship")
    b.wait(lambda: tracking in b.text("screen"), "the package waits at the dock")
    b.wedge(tracking)
    b.wait(lambda: "order shipped" in b.msg(), "the package and the order shipped")
    b.settle()
    b.shot("ship")
    check(api_ok(srv, "GET", f"/v1/orders/{order['id']}", staff)["state"] == "shipped", "the order is shipped")

    # sign-out forgets the key
    b.click("#menu")
    b.click("#signout")
    b.wait(lambda: b.css("#key"), "the sign-in screen again")
    check(b.d.execute_script("return localStorage.getItem('wms.scanner.key')") is None, "the key is forgotten")
    return order


def eb100_in(srv, staff, location):
    return sum(i["qty"] for i in api_ok(srv, "GET", f"/v1/inventory?location={location}&sku=EB-100", staff)["items"])


def inspect_unit(b, grade, disposition, liability):
    for k, v in (("grade", grade), ("disposition", disposition), ("liability", liability)):
        b.d.execute_script("arguments[0].value = arguments[1]", b.el(k), v)
    b.click("#record")


def run_returns(srv, b, staff, platform, order):
    """The returns screens, signed in with the ES-MAD-FC staff key (a fulfilment centre is the
    returns centre of its own orders): the order shipped above claimed as damaged through the
    API as tests/integration/check_returns.c does (claim → return, RMA), received by wedge scans
    (3 units where 2 are authorised: the over-authorised question; an item not on the return),
    inspected unit by unit (restock, dispose, restock; two of the units while the server is
    down), the restocked units put away; the states and the stock checked through the API."""
    status, claim = api(srv, "POST", "/v1/claims", platform, {
        "order": order["id"], "line": 1, "kind": "damaged", "qty": 2, "evidence": ["photo-scan-1"]})
    check(status == 201 and claim.get("decision") == "return" and claim.get("state") == "awaiting_return",
          f"the claim of 2 x EB-100 is a return: {status} {claim.get('decision')} {claim.get('detail')}")
    rma = claim["rma"]
    b.wait(lambda: b.css("#key"), "the sign-in screen")
    b.el("key").send_keys(staff + Keys.ENTER)
    b.wait(lambda: b.text("warehouse") == "ES-MAD-FC", "the fulfilment centre in the header")
    check(b.css("#go-receiving") and b.css("#go-picking") and b.css("#go-returns") and b.css("#go-inspection")
          and not b.css("#go-hubreceipt"), "a fulfilment centre's staff get the warehouse's flows and the returns flows")
    b.shot("returns-home")

    # receipt: the label's Code 128 (AIM ]C0), then the parcel's contents as wedge scans
    b.click("#go-returns")
    b.wait(lambda: "Scan the return label" in b.text("next"), "the returns receipt screen")
    b.wedge("4006381333931")
    b.wait(lambda: "not a return label" in b.msg(), "an item before the label is refused")
    b.wedge("]C0" + rma)
    b.wait(lambda: b.text("return-ref") == rma and "Scan every item" in b.text("next"), "the return taken up by its label")
    # the return read (GET /v1/returns/{rma}): what it authorises, before any item
    b.wait(lambda: "expected 2 × EB-100" in b.text("expected"), "the authorised items shown: expected 2 x EB-100")
    check("GTIN 04006381333931" in b.text("expected") and "scanned 0 of 2" in b.text("expected-count"),
          "the authorised item's GTIN and nothing scanned yet: " + b.text("expected"))
    # the speaker first: the device sorts by the authorised GTIN, not by what came first
    for code in ("036000291452", "]E04006381333931", "]C10104006381333931", "4006381333931"):
        b.wedge(code)
    b.wait(lambda: "3 × 04006381333931" in b.text("items") and "1 × 00036000291452" in b.text("items"),
           "three returned units (EAN-13 and GS1-128 counted as one item) and one other item")
    items = b.text("items")
    check("not on the return" in items and "EB-100: the authorised item" in items and "Returned item" not in items,
          "the speaker, scanned first, is not on the return; EB-100 is the authorised item: " + items)
    check("scanned 3 of 2 (1 more than authorised)" in b.text("expected-count"),
          "the count against what was authorised: " + b.text("expected-count"))
    b.shot("returns-count")
    b.click("#finish")
    b.answer("More than authorised", shot="returns-over-authorised")
    b.wait(lambda: f"{rma} received: 3 of 2 authorised" in b.msg(), "the return received")
    b.settle()
    summary = b.text("summary")
    check("extra 1" in summary and "missing 0" in summary and "1 × 00036000291452" in summary,
          "the summary shows the extra unit and the wrong item: " + summary)
    b.shot("returns-summary")
    c = api_ok(srv, "GET", f"/v1/claims/{claim['id']}", platform)
    check(c["state"] == "inspecting" and c["return"]["received"] == 3
          and c["return"]["wrong_items"] == [{"gtin": "00036000291452", "qty": 1}],
          f"API: the claim is inspecting, 3 received, the wrong item recorded: {c['state']} {c['return']}")
    # the same label again: a return is received once (refused when its label is read)
    b.wedge(rma)
    b.wait(lambda: "already received" in b.text("hint"), "a second receipt refused: already received")
    check(not b.css("#return-ref") and not b.css("#finish"), "a return received already is not counted again")
    b.settle()

    # inspection, one unit at a time
    b.click("#to-inspection")
    b.wait(lambda: "Unit 1 of 3" in b.text("next"), "the inspection of unit 1 of 3")
    inspect_unit(b, "like_new", "restock", "seller")
    b.wait(lambda: "unit 1: restock →" in b.msg(), "unit 1 restocked")
    b.settle()
    b.wait(lambda: "Unit 2 of 3" in b.text("next"), "unit 2 of 3 next")
    b.shot("inspection")
    # the centre's receiving bin (ES-MAD-FC has no bin of kind returns): RCV-01 in the demo
    rbin = re.search(r"unit 1: restock → (\S+)", b.msg()).group(1)
    inv = api_ok(srv, "GET", f"/v1/inventory?location={rbin}&sku=EB-100", staff)["items"]
    before = sum(i["qty"] for i in inv) - 1
    check(any(i["status"] == "sellable" for i in inv) and "now in " + rbin in b.text("last"),
          f"API: the restocked unit is sellable in {rbin}: {inv}")
    # the server dies: units 2 and 3 wait on the device, then go exactly once
    srv.kill()
    inspect_unit(b, "damaged", "dispose", "seller")
    b.wait(lambda: b.pending() == 1, "unit 2 waiting")
    inspect_unit(b, "used", "restock", "buyer")
    b.wait(lambda: b.pending() == 2 and "Every unit inspected" in b.text("next"), "units 2 and 3 waiting")
    b.wait(lambda: "server not reached" in b.text("net"), "the server is not reached")
    b.shot("inspection-offline")
    srv.start()
    b.d.execute_script("window.wmsScanner.queue.retryNow()")
    b.settle(60)
    b.wait(lambda: b.css("#done"), "all inspected: the refunds shown")
    done = b.text("done")
    check("claim closed" in done and "issued" in done and "failed" in done, "the claim closed, the refunds shown: " + done)
    b.shot("inspection-done")
    c = api_ok(srv, "GET", f"/v1/claims/{claim['id']}", platform)
    units = [(u["grade"], u["disposition"], u["liability"]) for u in c["return"]["units"]]
    check(c["state"] == "closed" and c["return"]["inspected"] == 3 and units == [
        ("like_new", "restock", "seller"), ("damaged", "dispose", "seller"), ("used", "restock", "buyer")],
          f"API: every unit inspected exactly once: {c['state']} {units}")
    refunds = sorted((f["liability"], f["state"], f["amount"]) for f in c["refunds"])
    check(refunds == [("buyer", "failed", 0), ("seller", "issued", 3998)], f"API: the refunds: {refunds}")
    check(eb100_in(srv, staff, rbin) == before + 2, f"API: two units restocked into {rbin}, the disposed one not")

    # the restocked units go through the putaway screen
    b.click("#to-putaway")
    b.wait(lambda: "Scan an item to put away" in b.text("next"), "the putaway screen")
    check(b.el("from").get_attribute("value") == rbin, f"putaway takes the restocked units from {rbin}")
    bin_before = eb100_in(srv, staff, "B-01-01")
    b.wedge("4006381333931")
    b.wait(lambda: "Scan the destination bin" in b.text("next"), "asked for the bin")
    b.el("qty").send_keys("2")
    b.wedge("B-01-01")
    b.wait(lambda: "→ B-01-01" in b.msg(), "the two restocked units put away")
    b.settle()
    check(eb100_in(srv, staff, rbin) == before and eb100_in(srv, staff, "B-01-01") == bin_before + 2,
          f"API: the restocked units moved from {rbin} to B-01-01")

    b.click("#menu")
    b.click("#signout")
    b.wait(lambda: b.css("#key"), "the sign-in screen again")



def jit_parcel(srv, seller, platform, ref):
    """A semi_jit order of ACME-AUDIO (its hub is CN-SZX-HUB) and its task: {order, task}."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(minutes=1)
    order = api_ok(srv, "POST", "/v1/orders", platform, {
        "client_order_id": ref, "seller": "ACME-AUDIO", "mode": "semi_jit",
        "destination": {"name": "Ana García", "address": "Calle Mayor 1", "city": "Madrid",
                        "postal_code": "28013", "country": "ES"},
        "lines": [{"sku": "SPK-200", "qty": 1, "unit_price": 4999}],
        "currency": "USD", "amount_paid": 4999, "placed_at": now.isoformat().replace("+00:00", "Z")})
    check(order["state"] == "created" and order["warehouse"] == "CN-SZX-HUB", f"JIT order {ref} at CN-SZX-HUB")
    return {"order": order, "task": api_ok(srv, "GET", f"/v1/jit-tasks/{ref}", seller)}


def label(srv, seller, task):
    """Prints the task's label (ZPL); its tracking number."""
    req = urllib.request.Request(srv.base + f"/v1/jit-tasks/{task['id']}/label", data=b"", method="POST")
    req.add_header("Authorization", "Bearer " + seller)
    with urllib.request.urlopen(req, timeout=30) as r:
        check(r.status == 200 and r.read().startswith(b"^XA"), "the JIT label printed")
    return api_ok(srv, "GET", f"/v1/jit-tasks/{task['id']}", seller)["tracking_number"]


def run_hub(srv, b, hub_staff, seller, platform):
    """The hub's screens, signed in with the CN-SZX-HUB staff key of `wmsd demo`: JIT parcels set
    up through the API as tests/integration/check_jit.c does (semi_jit order, task, label,
    consignment, dispatch), received, bagged, the bag closed and handed to the line-haul."""
    tag = f"{os.getpid()}"
    a = jit_parcel(srv, seller, platform, f"MP-HUB-{tag}-A")
    bb = jit_parcel(srv, seller, platform, f"MP-HUB-{tag}-B")
    c = jit_parcel(srv, seller, platform, f"MP-HUB-{tag}-C")
    track_a = label(srv, seller, a["task"])
    label(srv, seller, bb["task"])
    cons = api_ok(srv, "POST", "/v1/jit-consignments", seller,
                  {"handover": {"type": "drop_off"}, "tasks": [a["task"]["id"], bb["task"]["id"]]})
    check(cons["bound"] == 2, "two tasks bound to a first-mile consignment")
    api_ok(srv, "POST", f"/v1/jit-consignments/{cons['id']}/dispatch", seller)
    # C's seller missed the hand-over deadline (as check_jit.c makes a late parcel)
    subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", srv.env["DATABASE_URL"], "-c",
                    f"UPDATE jit_tasks SET handover_deadline = now() - interval '2 hours' WHERE id = '{c['task']['id']}'"],
                   check=True, stdout=subprocess.DEVNULL)

    # sign in with the hub's key: the home screen shows the hub's flows
    b.wait(lambda: b.css("#key"), "the sign-in screen")
    b.el("key").send_keys(hub_staff + Keys.ENTER)
    b.wait(lambda: b.text("warehouse") == "CN-SZX-HUB", "the hub in the header")
    check(b.css("#go-hubreceipt") and b.css("#go-bagging") and b.css("#go-linehaul") and not b.css("#go-receiving")
          and not b.css("#go-picking"), "a hub staff key's home screen shows the hub's flows, not the warehouse's")
    b.shot("hub-home")

    # receipt by the label's Code 128 (AIM ]C0): the expected contents shown
    b.click("#go-hubreceipt")
    b.wait(lambda: "Scan the parcel label" in b.text("next"), "the hub receipt screen")
    b.wedge("]C0" + track_a)
    b.wait(lambda: f"{track_a} received" in b.msg(), "parcel A received by its label")
    b.settle()
    check("received at hub" in b.text("parcel-state") and "SPK-200" in b.text("screen"),
          "the parcel's state and the lines it should contain are shown: " + b.text("parcel"))
    b.shot("hub-receipt")
    # the same label again (another scan): refused, already received
    b.wedge(track_a)
    b.wait(lambda: "Already received" in b.text("screen"), "a second receipt is refused, already received")
    b.settle()
    # B's label unreadable: by the order number
    b.click("#unreadable")
    b.wait(lambda: "Label unreadable" in b.text("next"), "asked for the order number")
    b.shot("hub-receipt-unreadable")
    b.wedge(f"MP-HUB-{tag}-B")
    b.wait(lambda: f"order MP-HUB-{tag}-B" in b.msg(), "parcel B received by its order")
    b.settle()
    # C, late, by its label's Data Matrix (the task id, AIM ]d2): the re-quote acknowledged
    b.wedge("]d2" + c["task"]["id"])
    b.answer("Late parcel", shot="hub-receipt-late")
    b.wait(lambda: "LATE" in b.text("parcel-state"), "parcel C received late")
    # ... and it holds two speakers: an exception with what was found
    b.click("#problem")
    b.wait(lambda: (b.prompt_title() or "").startswith("What is wrong"), "asked what is wrong")
    b.el("found").send_keys("2 x SPK-200")
    b.shot("hub-receipt-problem")
    b.click("#prompt [data-action='wrong_quantity']")
    b.wait(lambda: "exception recorded" in b.msg(), "the exception recorded")
    b.settle()
    check("found: 2 x SPK-200" in b.text("parcel") and "aside" in b.text("next"),
          "the exception and what was found shown, the parcel to be set aside: " + b.text("parcel"))
    b.shot("hub-receipt-exception")
    tc = api_ok(srv, "GET", f"/v1/jit-tasks/{c['task']['id']}", seller)
    check(tc["state"] == "exception" and tc["late"] and tc["exception"]["reason"] == "wrong_quantity"
          and tc["exception"]["found"] == "2 x SPK-200" and tc["exception"]["expected"][0]["sku"] == "SPK-200",
          f"C: exception wrong_quantity, late, with what was expected and found: {tc['state']} {tc.get('exception')}")
    for p in (a, bb):
        t = api_ok(srv, "GET", f"/v1/jit-tasks/{p['task']['id']}", seller)
        check(t["state"] == "received_at_hub" and not t["late"], f"{t['client_order_id']} received at the hub on time")

    # consolidation: open a bag, A by its label, B by its order, C refused (an exception)
    b.click("#menu")
    b.click("#go-bagging")
    b.click("#open-bag")
    b.wait(lambda: re.fullmatch(r"\d{18}", b.text("sscc")), "the new bag's SSCC shown")
    bag_sscc = b.text("sscc")
    b.wedge("]C0" + track_a)
    b.wait(lambda: f"{track_a} into bag" in b.msg(), "parcel A into the bag")
    b.settle()
    # B by its order, scanned while the server is down: it waits in the queue, the bag cannot
    # be closed meanwhile, and it goes in exactly once when the server is back
    srv.kill()
    b.click("#unreadable")
    b.wedge(f"MP-HUB-{tag}-B")
    b.wait(lambda: "server not reached" in b.text("net") and b.pending() == 1, "the bag scan waits for the server")
    check(not b.el("close-bag").is_enabled(), "the bag cannot be closed while a scan into it waits")
    b.shot("bagging-offline")
    srv.start()
    b.wait(lambda: "(2 parcels)" in b.msg(), "parcel B into the bag by its order once the server is back", 60)
    b.settle()
    b.wedge("]d2" + c["task"]["id"])
    b.wait(lambda: "task is exception" in b.msg(), "the parcel with an exception is refused: " + b.msg())
    b.settle()
    check("2 parcels" in b.text("bag-state"), "the bag holds 2 parcels: " + b.text("bag-state"))
    b.shot("bagging")
    b.click("#close-bag")
    b.wait(lambda: "closed" in b.text("bag-state"), "the bag closed")
    b.shot("bagging-closed")
    for p in (a, bb):
        t = api_ok(srv, "GET", f"/v1/jit-tasks/{p['task']['id']}", seller)
        check(t["state"] == "consolidated", f"{t['client_order_id']} consolidated")

    # the line-haul: the bag's SSCC label scanned (GS1-128: ]C1 00 + SSCC)
    b.click("#to-linehaul")
    b.wait(lambda: "line-haul truck" in b.text("next"), "the line-haul screen")
    b.wedge("]C100" + bag_sscc)
    b.wait(lambda: "2 parcels shipped" in b.msg(), "the bag handed to the line-haul")
    b.settle()
    b.shot("linehaul")
    for p in (a, bb):
        t = api_ok(srv, "GET", f"/v1/jit-tasks/{p['task']['id']}", seller)
        o = api_ok(srv, "GET", f"/v1/orders/{p['order']['id']}", platform)
        check(t["state"] == "shipped" and o["state"] == "shipped" and o["tracking_number"] == t["tracking_number"],
              f"{t['client_order_id']}: task and order shipped with the task's tracking number")
    check(api_ok(srv, "GET", f"/v1/jit-tasks/{c['task']['id']}", seller)["state"] == "exception",
          "the parcel with an exception stays at the hub")
    b.wedge("]C100" + bag_sscc)
    b.wait(lambda: "left at" in b.msg(), "the bag scanned again: it has left already")
    b.settle()


if __name__ == "__main__":
    rc = 0
    try:
        main()
    except Exception:
        traceback.print_exc()
        if not failed:
            failed += 1
        rc = 1
    print(f"{passed} passed, {failed} failed", flush=True)
    sys.exit(rc if rc else (1 if failed else 0))
