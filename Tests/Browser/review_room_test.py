"""The review room in a real browser: two headless Chromium sessions driven by Selenium against the
built `lsm`, in a fresh hermetic repository. Each step saves a screenshot to the artefacts folder.

Usage: review_room_test.py <path to lsm> <artefacts folder>
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

LSM = os.path.abspath(sys.argv[1])
ARTEFACTS = os.path.abspath(sys.argv[2])
WORK = tempfile.mkdtemp(prefix="lsm-browser-")
REPO = os.path.join(WORK, "shop")
XSS = "<img src=x onerror=alert(1)>"

ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": os.path.join(WORK, "home"),
    "LSM_HOME": os.path.join(WORK, "lsm-home"),
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": "2026-01-05T10:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-05T10:00:00Z",
    "GIT_TERMINAL_PROMPT": "0",
}

APP_PY = """\"\"\"Checkout: prices, discounts and the total of a cart.\"\"\"

from decimal import Decimal


def price(item):
    return Decimal(item["price"]) * item["quantity"]


def discount(total, code):
    if code == "WELCOME10":
        return total * Decimal("0.10")
    return Decimal(0)


def checkout(cart, code=None):
    total = sum(price(item) for item in cart)
    total -= discount(total, code)
    return total.quantize(Decimal("0.01"))


if __name__ == "__main__":
    print(checkout([{"price": "9.99", "quantity": 3}], "WELCOME10"))
"""

FILES = {
    "README.md": "# Shop\n\nA tiny shop used to try lsm review.\n",
    "src/shop/app.py": APP_PY,
    "src/shop/__init__.py": "",
    "tests/test_app.py": "from shop.app import checkout\n\n\ndef test_total():\n    assert checkout([]) == 0\n",
    "docs/pricing.md": "# Pricing\n\nDiscount codes take 10 % off.\n",
}


def run(*args, check=True):
    result = subprocess.run(args, cwd=REPO, env=ENV, capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result.stdout


def make_repository():
    os.makedirs(REPO)
    os.makedirs(ENV["HOME"])
    run("git", "init", "-q", "-b", "main")
    for path, text in FILES.items():
        os.makedirs(os.path.dirname(os.path.join(REPO, path)) or REPO, exist_ok=True)
        with open(os.path.join(REPO, path), "w") as file:
            file.write(text)
    run("git", "add", "-A")
    run("git", "commit", "-q", "-m", "Checkout with discount codes")


class Server:
    def __init__(self):
        self.process = None
        self.port = None
        self.log = open(os.path.join(ARTEFACTS, "server.log"), "a")

    def start(self):
        record = os.path.join(REPO, ".git", "lsm", "server.json")
        args = [LSM, "-C", REPO, "serve"] + (["--port", str(self.port)] if self.port else ["--port", "0"])
        self.process = subprocess.Popen(args, env=ENV, stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with open(record) as file:
                    data = json.load(file)
                if data["pid"] == self.process.pid:
                    self.port = data["port"]
                    self.url = data["url"]
                    return
            except (OSError, ValueError, KeyError):
                pass
            if self.process.poll() is not None:
                raise AssertionError("the server exited at once; see server.log")
            time.sleep(0.05)
        raise AssertionError("the server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def invite(*extra):
    return json.loads(run(LSM, "review", "--json", "--uses", "1", *extra))


def http_json(url, body=None, token=None):
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode())
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), json.loads(response.read() or b"null")


def browser(name):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800",
                     "--lang=en-US", "--force-color-profile=srgb", "--hide-scrollbars"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.label = name
    viewport(driver, 1280, 800)
    return driver


def viewport(driver, width, height):
    """Resizes the window so that the page itself gets width × height."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(width + (width - inner[0]), height + (height - inner[1]))


class Suite:
    def __init__(self):
        self.server = Server()
        self.browsers = []
        self.shots = 0
        self.steps = []

    # helpers

    def shot(self, driver, name):
        self.shots += 1
        path = os.path.join(ARTEFACTS, f"{self.shots:02d}-{name}.png")
        driver.save_screenshot(path)

    def wait(self, driver, condition, what, timeout=10):
        try:
            return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d))
        except TimeoutException:
            self.shot(driver, f"FAILED-{driver.label}")
            raise AssertionError(f"{driver.label}: timed out waiting for {what}")

    def find(self, driver, selector):
        return driver.find_elements(By.CSS_SELECTOR, selector)

    def step(self, title):
        print(f"· {title}", flush=True)
        self.steps.append(title)

    def join(self, driver, link, name):
        driver.get(link)
        field = self.wait(driver, lambda d: (self.find(d, "#join-name") or [None])[0], "the join form")
        field.clear()
        field.send_keys(name)
        return field

    def online(self, driver):
        self.wait(driver, lambda d: self.find(d, ".room[data-connection=online]"), "the room to be online", timeout=20)

    def open_file(self, driver, path):
        """Finds the file with the filter box, as a user would, and opens it."""
        field = self.find(driver, "#file-filter")[0]
        field.clear()
        field.send_keys(path)
        self.wait(driver, lambda d: self.find(d, f'button.file[data-path="{path}"]'), f"{path} in the filtered tree")
        self.find(driver, f'button.file[data-path="{path}"]')[0].click()
        field.clear()
        field.send_keys(" " + Keys.BACKSPACE)
        self.wait(driver, lambda d: self.find(d, ".file-heading .path") and self.find(d, ".file-heading .path")[0].text == path
                  and self.find(d, "#L1"), f"{path} to open")

    def click(self, driver, selector):
        """Clicks the element `selector` names now (markers are redrawn as threads change)."""
        def attempt(d):
            try:
                self.find(d, selector)[0].click()
                return True
            except (IndexError, StaleElementReferenceException):
                return False
        self.wait(driver, attempt, f"{selector} to click")

    def chat_seqs(self, driver):
        return driver.execute_script(
            "return [...document.querySelectorAll('#chat-log .msg')].map(n => n.dataset.seq)")

    # the suite

    def run(self):
        make_repository()
        self.server.start()
        self.check_headers()
        ada = browser("ada")
        bob = browser("bob")
        self.browsers = [ada, bob]

        self.step("both join by invite")
        first = invite()
        self.join(ada, first["link"], "Ada Lovelace")
        self.shot(ada, "join")
        self.click(ada, "#join-submit")
        self.online(ada)
        assert "/join" not in ada.current_url and first["invite"] not in ada.current_url, "the invite leaves the address bar"
        self.join(bob, invite()["link"], "Bob")
        self.click(bob, "#join-submit")
        self.online(bob)
        self.wait(ada, lambda d: len(self.find(d, ".avatars .who")) == 2, "Bob's avatar at Ada's")
        self.open_file(ada, "src/shop/app.py")
        self.open_file(bob, "src/shop/app.py")

        self.step("a message from Ada shows at Bob's within 1 s")
        box = self.find(ada, "#chat-input")[0]
        box.send_keys("Morning! The discount is applied in src/shop/app.py:11, is that right?")
        sent = time.monotonic()
        box.send_keys(Keys.ENTER)
        self.wait(bob, lambda d: any("Morning!" in n.text for n in self.find(d, "#chat-log .msg .body")), "Ada's message", timeout=5)
        latency = time.monotonic() - sent
        print(f"  delivered in {latency * 1000:.0f} ms")
        assert latency < 1.0, f"the message took {latency:.2f} s"
        link = self.find(bob, "#chat-log .msg .body a.ref")
        assert link and link[0].text == "src/shop/app.py:11", "path:line becomes a link"

        self.step("Bob moves his cursor to a line; Ada sees his marker there")
        self.click(bob, "#L17 .text")
        self.wait(ada, lambda d: self.find(d, "#L17 .cursor-flag") and self.find(d, "#L17 .cursor-flag")[0].text == "Bob",
                  "Bob's cursor on line 17")
        self.shot(ada, "cursor-and-chat")

        self.step("Ada comments on lines 11-13; Bob sees the marker; the CLI shows the thread there")
        ActionChains(ada).click_and_hold(self.find(ada, "#L11 .ln")[0]).move_to_element(
            self.find(ada, "#L12 .ln")[0]).move_to_element(self.find(ada, "#L13 .ln")[0]).release().perform()
        composer = self.wait(ada, lambda d: (self.find(d, ".composer textarea") or [None])[0], "the comment composer")
        assert len(self.find(ada, ".line.selected")) == 3, "the dragged range is selected"
        composer.send_keys("Should WELCOME10 stack with other codes? " + XSS)
        self.shot(ada, "comment-composer")
        self.click(ada, ".composer button.primary")
        self.wait(bob, lambda d: self.find(d, "#L11 .gutter .marker"), "the thread marker at Bob's")
        self.wait(ada, lambda d: self.find(d, "#L11 .gutter .marker") and not self.find(d, ".composer"), "Ada's marker")
        threads = json.loads(run(LSM, "comments", "--json"))
        assert len(threads) == 1, threads
        thread = threads[0]
        assert (thread["path"], thread["line"], thread["endLine"]) == ("src/shop/app.py", 11, 13), thread
        assert thread["comments"][0]["author"] == "Ada Lovelace"
        assert thread["body"].endswith(XSS), "the comment is stored verbatim"

        self.step("a comment made with the CLI appears in both browsers")
        run(LSM, "comment", "src/shop/app.py:19", "Rounding happens here, after the discount.")
        for driver in (ada, bob):
            self.wait(driver, lambda d: self.find(d, "#L19 .gutter .marker"), "the CLI thread's marker")

        self.step("a reaction and a resolve round-trip")
        self.click(bob, "#L11 .gutter .marker")
        card = self.wait(bob, lambda d: (self.find(d, ".thread-card") or [None])[0], "the thread card")
        body = card.find_element(By.CSS_SELECTOR, ".comment .body")
        assert body.text.endswith(XSS) and not card.find_elements(By.CSS_SELECTOR, ".body img"), "comment HTML stays text"
        card.find_element(By.CSS_SELECTOR, ".add-reaction").click()
        card.find_element(By.CSS_SELECTOR, '.picker button[aria-label="React 👍"]').click()
        self.click(ada, "#L11 .gutter .marker")
        self.wait(ada, lambda d: [c for c in self.find(d, ".thread-card .reaction") if "👍" in c.text and "1" in c.text],
                  "Bob's 👍 at Ada's")
        reply = self.find(ada, ".thread-card .reply textarea")[0]
        reply.send_keys("Only one code per order, I think.")
        reply.send_keys(Keys.CONTROL, Keys.ENTER)
        self.wait(bob, lambda d: len(self.find(d, ".thread-card .comment")) == 2, "Ada's reply at Bob's")
        self.shot(bob, "thread")
        self.click(ada, ".thread-card .resolve")
        self.wait(bob, lambda d: self.find(d, "#L11 .marker.resolved") and self.find(d, ".thread-card .chip.resolved"),
                  "the resolved thread at Bob's")
        resolved = [t for t in json.loads(run(LSM, "comments", "--all", "--json")) if t["line"] == 11][0]
        assert resolved["resolved"] and len(resolved["comments"]) == 2
        assert any(resolved["comments"][0]["reactions"].get("👍", [])), "the reaction is in git"
        self.click(bob, ".thread-card .resolve")  # Reopen
        self.wait(ada, lambda d: self.find(d, "#L11 .marker.open"), "the reopened thread at Ada's")

        self.step("a chat reaction round-trips")
        message = self.find(bob, "#chat-log .msg")[-1]
        ActionChains(bob).move_to_element(message).perform()
        message.find_element(By.CSS_SELECTOR, ".add-reaction").click()
        message.find_element(By.CSS_SELECTOR, '.picker button[aria-label="React 🎉"]').click()
        self.wait(ada, lambda d: [c for c in self.find(d, "#chat-log .reaction") if "🎉" in c.text], "Bob's 🎉 at Ada's")

        self.step("HTML in chat shows as text and runs nothing")
        bob.execute_script("window.__xss = 0; window.alert = () => { window.__xss += 1; };")
        box = self.find(ada, "#chat-input")[0]
        box.send_keys(XSS)
        box.send_keys(Keys.ENTER)
        self.wait(bob, lambda d: any(n.text == XSS for n in self.find(d, "#chat-log .msg .body")), "the HTML as text")
        time.sleep(0.3)
        assert not self.find(bob, "#chat-log img"), "no image element was made"
        assert bob.execute_script("return window.__xss") == 0, "no script ran"
        for driver in (ada, bob):
            try:
                driver.switch_to.alert
                raise AssertionError("an alert opened")
            except NoAlertPresentException:
                pass
        self.shot(bob, "chat-html-as-text")

        self.step("sessions shared into the room show live")
        self.share_session(ada)
        self.click(bob, "#side-tab-sessions")
        self.wait(bob, lambda d: self.find(d, ".session[data-session='s-7f3a']"), "the shared session")
        card = self.find(bob, ".session")[0].text
        assert "claude-code" in card and "62%" in card and "context" in card.lower() and "Ada Lovelace" in card, card
        self.shot(bob, "sessions")
        self.click(bob, "#side-tab-chat")

        self.step("typing shows, follow moves the follower")
        self.find(bob, "#chat-input")[0].send_keys("typing")
        self.wait(ada, lambda d: "Bob is typing" in self.find(d, ".typing")[0].text, "the typing indicator")
        self.find(bob, "#chat-input")[0].send_keys(Keys.CONTROL, "a")
        self.find(bob, "#chat-input")[0].send_keys(Keys.DELETE)
        self.click(ada, "#people-toggle")
        self.wait(ada, lambda d: self.find(d, "#people .follow"), "the people panel")
        self.click(ada, "#people .follow")
        self.wait(bob, lambda d: "following you" in self.find(d, "#people")[0].get_attribute("textContent"),
                  "Bob sees that Ada follows him")
        self.open_file(bob, "tests/test_app.py")
        self.click(bob, "#L4 .text")
        self.wait(ada, lambda d: self.find(d, ".file-heading .path")[0].text == "tests/test_app.py"
                  and self.find(d, "#L4.current"), "Ada's view following Bob")
        self.shot(ada, "following")
        self.click(ada, ".follow-chip button")

        self.step("after a server restart both reconnect; history has no gaps or duplicates")
        self.server.stop()
        for driver in (ada, bob):
            self.wait(driver, lambda d: self.find(d, ".room[data-connection=offline], .room[data-connection=reconnecting]")
                      and self.find(d, "#banner:not([hidden])"), "the offline banner")
        self.shot(ada, "offline")
        box = self.find(ada, "#chat-input")[0]
        box.send_keys("sent while the server was down")
        box.send_keys(Keys.ENTER)
        self.server.start()
        for driver in (ada, bob):
            self.online(driver)
        self.find(bob, "#chat-input")[0].send_keys("back again" + Keys.ENTER)
        for driver in (ada, bob):
            self.wait(driver, lambda d: any(n.text == "back again" for n in self.find(d, "#chat-log .msg .body"))
                      and any(n.text == "sent while the server was down" for n in self.find(d, "#chat-log .msg .body"))
                      and not self.find(d, "#chat-log .msg.sending"), "every message after the restart")
        token = http_json(self.server.url + "/api/join", {"invite": invite()["invite"], "name": "Checker"})[2]["accessToken"]
        events = http_json(self.server.url + "/api/history?room=main&after=0&limit=500", token=token)[2]["events"]
        expected = [str(e["seq"]) for e in events if e["kind"] == "chat"]
        for driver in (ada, bob):
            seen = self.chat_seqs(driver)
            assert seen == expected, f"{driver.label} shows {seen}, the server has {expected}"
        print(f"  {len(expected)} messages in both browsers, in order, once each")
        self.shot(bob, "after-restart")

        self.step("a narrow screen (390×844) and the dark theme")
        viewport(ada, 390, 844)
        self.click(ada, "#pane-tab-code")
        time.sleep(0.2)
        self.shot(ada, "mobile-code")
        self.click(ada, "#pane-tab-chat")
        time.sleep(0.2)
        self.shot(ada, "mobile-chat")
        viewport(ada, 1280, 800)
        ada.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        self.open_file(ada, "src/shop/app.py")
        self.click(ada, "#L11 .gutter .marker")
        time.sleep(0.3)
        self.shot(ada, "dark")

        self.step("revoking Bob closes his connection with a clear message")
        run(LSM, "review", "--revoke", "Bob")
        self.wait(bob, lambda d: self.find(d, ".room[data-connection=ended] #banner.ended"), "the access-ended banner")
        assert "was revoked" in self.find(bob, "#banner")[0].text, self.find(bob, "#banner")[0].text
        assert self.find(bob, "#chat-input")[0].get_attribute("disabled") is not None, "the composer is disabled"
        self.shot(bob, "revoked")

        self.step("an expired invite, and a used one, show the right page")
        expired = invite("--expires", "1s")
        time.sleep(1.5)
        self.join(bob, expired["link"], "Bob")
        self.click(bob, "#join-submit")
        self.wait(bob, lambda d: self.find(d, "#invite-expired"), "the expired-invite page")
        self.shot(bob, "invite-expired")
        bob.get("about:blank")
        self.join(bob, first["link"], "Bob")  # Ada's, used up
        self.find(bob, "#join-name")[0].send_keys(Keys.ENTER)
        self.wait(bob, lambda d: self.find(d, "#invite-expired"), "the used-invite page")
        bob.get("about:blank")
        bob.get(self.server.url + "/join")
        self.wait(bob, lambda d: self.find(d, "#invite-missing"), "the page for a link without its invite")

        self.check_console()
        print(f"ok: {len(self.steps)} steps, screenshots in {ARTEFACTS}")

    def check_headers(self):
        for path in ["/", "/join", "/ui/app.js", "/ui/style.css"]:
            with urllib.request.urlopen(self.server.url + path, timeout=10) as response:
                headers = response.headers
                assert headers["Content-Security-Policy"].startswith("default-src 'self'"), path
                assert headers["X-Content-Type-Options"] == "nosniff", path

    def share_session(self, driver):
        """Shares a session summary as an admin would (over the protocol, from the page's origin)."""
        admin = invite("--role", "admin")["invite"]
        result = driver.execute_async_script(
            """
            const [invite, done] = arguments;
            const session = {id: "s-7f3a", agent: "claude-code", model: "claude-sonnet-4-5", title: "Fix discount rounding",
              branch: "main", live: true, usage: {input: 182000, output: 24100, cacheWrite: 0, cacheRead: 910000, total: 1116100},
              costUSD: 1.84, contextFill: 0.62, lastActivityAt: new Date().toISOString(),
              health: {score: 71, status: "warning", recommendation: "compact soon",
                components: [{name: "context fill", value: 0.62, threshold: 0.6, unit: "", penalty: 18},
                             {name: "tool errors", value: 1, threshold: 3, unit: "", penalty: 3}]}};
            fetch("/api/join", {method: "POST", headers: {"Content-Type": "application/json"},
                body: JSON.stringify({invite, name: "Ada Lovelace"})})
              .then(r => r.json())
              .then(tokens => {
                const socket = new WebSocket(`ws://${location.host}/ws?room=main`, ["lsm.v1", "lsm.bearer." + tokens.accessToken]);
                socket.onopen = () => socket.send(JSON.stringify({type: "hello", v: 1}));
                socket.onmessage = (m) => {
                  const message = JSON.parse(m.data);
                  if (message.type === "synced") socket.send(JSON.stringify({type: "session", clientId: "share-1", session}));
                  if (message.type === "ack") { socket.close(); done("ok"); }
                  if (message.type === "error") done(message.message);
                };
              }).catch(e => done(String(e)));
            """, admin)
        assert result == "ok", result

    def check_console(self):
        for driver in self.browsers:
            entries = driver.get_log("browser")
            with open(os.path.join(ARTEFACTS, f"console-{driver.label}.log"), "w") as file:
                for entry in entries:
                    file.write(f"{entry['level']} {entry['message']}\n")
            errors = [e for e in entries if e["level"] == "SEVERE" and "Uncaught" in e["message"]]
            assert not errors, f"{driver.label}: uncaught errors: {errors}"

    def close(self):
        for driver in self.browsers:
            try:
                driver.quit()
            except Exception:
                pass
        self.server.stop()


def main():
    os.makedirs(ARTEFACTS, exist_ok=True)
    for name in os.listdir(ARTEFACTS):
        if name.endswith(".png") or name.endswith(".log"):
            os.remove(os.path.join(ARTEFACTS, name))
    suite = Suite()
    try:
        suite.run()
    except Exception:
        traceback.print_exc()
        for driver in suite.browsers:
            try:
                suite.shot(driver, f"FAILED-{driver.label}")
            except Exception:
                pass
        print(f"FAILED at step: {suite.steps[-1] if suite.steps else 'setup'}; artefacts in {ARTEFACTS}", file=sys.stderr)
        return 1
    finally:
        suite.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
