#!/usr/bin/env python3
"""test_hostile.py JWTGATE MINT_TOKEN SOURCE_ROOT: hostile clients against
jwtgate serve, each held to a bound with a clear 4xx while everyone else is
still served: oversized headers (431), malformed requests (400), request
bodies (413), slow senders (the idle timeout and the per-address limit), and
a flood of idle connections (the connection limit); and a token header
repeated a hundred times, X-Original-URI twice, an absolute-form target."""
import os, socket, subprocess, sys, tempfile, time, re

jg, mint, root = sys.argv[1:4]
keys = os.path.join(root, "tests/data/keys")
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok  ", name)
    else:
        failed += 1
        print("FAIL", name, detail)


tmp = tempfile.mkdtemp()
policy = os.path.join(tmp, "policy.json")
with open(policy, "w") as f:
    f.write('{"validate-jwt": {"header-name": "Authorization", "require-scheme": "Bearer",'
            ' "issuers": ["https://issuer.example"], "audiences": ["api://demo"]}}')
now = int(time.time())
token = subprocess.check_output([mint, "RS256", os.path.join(keys, "rsa2048.pem"), '{"alg":"RS256"}',
    '{"iss":"https://issuer.example","aud":"api://demo","sub":"alice","exp":%d}' % (now + 3600)]).decode().strip()

PER_IP, TOTAL, IDLE = 8, 40, 2
log = open(os.path.join(tmp, "serve.log"), "w+")
proc = subprocess.Popen([jg, "serve", "--policy", policy, "--keys", os.path.join(keys, "rsa2048.pub.pem"),
                         "--listen", "127.0.0.1:0", "--threads", "2", "--max-connections", str(TOTAL),
                         "--max-connections-per-ip", str(PER_IP), "--idle-timeout", str(IDLE),
                         "--connection-memory", "16384"], stderr=log)
port = None
for _ in range(200):
    log.seek(0)
    m = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read())
    if m:
        port = int(m.group(1))
        break
    time.sleep(0.05)
if port is None:
    print("jwtgate serve did not start"); proc.kill(); sys.exit(1)


def connect(src="127.0.0.1", timeout=5.0):
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def read_reply(s):
    """Reads until the peer closes or a whole reply (headers + body) is in."""
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"Content-Length: (\d+)", head, re.I)
                if m and len(body) >= int(m.group(1)):
                    break
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def status_of(data):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else None


def raw(request, src="127.0.0.1"):
    s = connect(src)
    try:
        s.sendall(request)
        return read_reply(s)
    finally:
        s.close()


def good_request(src="127.0.0.1"):
    """A legitimate client: returns (status, seconds)."""
    t = time.time()
    try:
        data = raw(b"GET /api HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() + b"\r\n\r\n", src)
    except OSError as e:
        return (str(e), time.time() - t)
    return (status_of(data), time.time() - t)


def closed(s, wait):
    """True if the server closed |s| within |wait| seconds."""
    s.settimeout(wait)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


try:
    st, _ = good_request()
    check("baseline: a valid token is accepted", st == 200, st)

    # Oversized headers: beyond the per-connection memory, a 431, then close.
    data = raw(b"GET /api HTTP/1.1\r\nHost: x\r\nX-Big: " + b"A" * 100000 + b"\r\n\r\n")
    check("oversized header: 431", status_of(data) == 431, data[:80])
    data = raw(b"GET /api HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(4000)) + b"\r\n")
    check("thousands of headers: 431", status_of(data) == 431, data[:80])
    data = raw(b"GET /" + b"a" * 50000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check("oversized request line: 414 or 431", status_of(data) in (414, 431), data[:80])
    # A token too large for the memory limit is refused the same way.
    data = raw(b"GET /api HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + b"a" * 20000 + b"\r\n\r\n")
    check("oversized Authorization: 431", status_of(data) == 431, data[:80])

    # The token repeated a hundred times, the valid copy among them: every
    # line reaches the library, which refuses it (one token per request).
    data = raw(b"GET /api HTTP/1.1\r\nHost: x\r\n" + b"Authorization: Bearer x.y.z\r\n" * 100 +
               b"Authorization: Bearer " + token.encode() + b"\r\n\r\n")
    check("the token header 101 times: 401 JwtInvalid", status_of(data) == 401 and
          b"X-Jwtgate-Reason: JwtInvalid" in data, data[:200])
    # X-Original-URI repeated: which one is judged would be up to chance.
    data = raw(b"GET /check HTTP/1.1\r\nHost: x\r\nX-Original-URI: /api\r\nx-original-uri: /admin\r\n"
               b"Authorization: Bearer " + token.encode() + b"\r\n\r\n")
    check("X-Original-URI twice: 400", status_of(data) == 400 and b"More than one X-Original-URI" in data,
          data[:200])
    # A request target in absolute form (as to a forward proxy): not judged.
    data = raw(b"GET http://x/api HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() + b"\r\n\r\n")
    check("absolute-form request target: 400", status_of(data) == 400, data[:200])

    # Malformed requests: a clear 400.
    for name, req in [("bad protocol name", b"GET / HTTX/1.1\r\nHost: x\r\n\r\n"),
                      ("HTTP/0.9-style request line", b"GET /\r\n\r\n"),
                      ("space before a header's colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
                      ("header without a colon", b"GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"),
                      ("HTTP/1.1 without Host", b"GET / HTTP/1.1\r\n\r\n"),
                      ("bad Content-Length", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")]:
        data = raw(req)
        check("malformed (%s): 400" % name, status_of(data) == 400, data[:80])
    data = raw(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n")
    check("unsupported HTTP version: 505", status_of(data) == 505, data[:80])
    # Bytes with no request line in them at all (one word, a TLS hello):
    # there is nothing to answer in HTTP, so the connection is just closed.
    for name, req in [("one word", b"GARBAGE\r\n\r\n"),
                      ("TLS hello", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 40 + b"\r\n\r\n")]:
        s = connect()
        s.sendall(req)
        check("no request line (%s): closed at once, no reply" % name, closed(s, 2.0))
        s.close()
    data = raw(b"POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nxx")
    check("a body announced: 413 before it is read", status_of(data) == 413, data[:80])
    data = raw(b"GET /api HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
    check("a chunked body: 413", status_of(data) == 413, data[:80])
    st, _ = good_request()
    check("after malformed requests: still serving", st == 200, st)

    # Slow senders (slowloris) from 127.0.0.2: the per-address limit holds
    # them to PER_IP sockets; a sender that stalls is cut at the idle timeout.
    slow = []
    for _ in range(PER_IP):
        s = connect("127.0.0.2")
        s.sendall(b"GET /api HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    extra = connect("127.0.0.2")
    extra.sendall(b"GET /api HTTP/1.1\r\n")
    check("slowloris: a connection beyond the per-address limit is closed", closed(extra, 2.0))
    extra.close()
    times = []
    for _ in range(5):
        st, dt = good_request()
        times.append(dt)
        check("slowloris: another client is served", st == 200, st)
    check("slowloris: another client is served fast (max %.3f s)" % max(times), max(times) < 0.5)
    # Keep half of them trickling a byte at a time; the other half goes silent.
    start = time.time()
    while time.time() - start < IDLE + 1.5:
        for s in slow[: PER_IP // 2]:
            try:
                s.sendall(b"X")
            except OSError:
                pass
        time.sleep(0.5)
    # The tricklers keep trickling while the silent ones are checked: each
    # check may wait 0.5 s, and four in a row would let a trickler sit idle
    # for the whole idle timeout on a loaded machine.
    silent_closed = 0
    for quiet in slow[PER_IP // 2:]:
        for s in slow[: PER_IP // 2]:
            try:
                s.sendall(b"X")
            except OSError:
                pass
        silent_closed += closed(quiet, 0.5)
    check("slow senders: silent ones are closed at the idle timeout (%d of %d)" % (silent_closed, PER_IP // 2),
          silent_closed == PER_IP // 2)
    # A trickler that never ends its headers runs into the memory limit.
    s = slow[0]
    got = b""
    try:
        for _ in range(40):
            s.sendall(b"X-Pad: " + b"p" * 1000 + b"\r\n")
        got = read_reply(s)
    except OSError:
        pass
    check("endless header block: 431 at the memory limit", status_of(got) == 431, got[:80])
    for s in slow:
        s.close()
    st, _ = good_request("127.0.0.2")
    check("slowloris: the address is served again once its sockets are gone", st == 200, st)

    # A flood of idle connections from many addresses: the total limit
    # bounds them; once they time out, everyone is served again.
    flood = []
    for i in range(TOTAL):
        try:
            flood.append(connect("127.0.1.%d" % (1 + i // PER_IP)))
        except OSError:
            break
    time.sleep(0.3)
    over = connect("127.0.2.1", timeout=1.0)
    over.sendall(b"GET /api HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() + b"\r\n\r\n")
    data = read_reply(over)
    check("flood: a connection beyond the total limit gets no service", status_of(data) is None, data[:80])
    over.close()
    check("flood: the idle connections are closed at the idle timeout",
          all(closed(s, IDLE + 2.0) for s in flood))
    for s in flood:
        s.close()
    time.sleep(0.2)
    st, dt = good_request()
    check("flood over: served again (%.3f s)" % dt, st == 200, st)
    check("the server is still running", proc.poll() is None)
finally:
    proc.terminate()
    rc = proc.wait(10)
    check("clean exit on SIGTERM", rc == 0, rc)
    log.seek(0)
    text = log.read()
    print("--- serve log (last lines)")
    print("\n".join(text.splitlines()[-8:]))

print("test_hostile.py: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
