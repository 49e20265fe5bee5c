"""slow_idp.py PORT_FILE ISSUER JWKS_FILE: an OpenID provider on 127.0.0.1
that answers slowly, for the nginx module's key-loading tests. GET
/<delay_ms>/.well-known/openid-configuration waits delay_ms, then serves a
discovery document naming ISSUER and /jwks; GET /jwks serves JWKS_FILE at
once. Writes its port to PORT_FILE; stops after 120 s."""
import json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, issuer, jwks_file = sys.argv[1], sys.argv[2], sys.argv[3]
jwks = open(jwks_file, "rb").read()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.split("/")
        if self.path == "/jwks":
            body = jwks
        elif len(parts) == 4 and parts[1].isdigit() and parts[2] == ".well-known":
            time.sleep(int(parts[1]) / 1000)
            host = self.server.server_address
            body = json.dumps({"issuer": issuer,
                               "jwks_uri": "http://127.0.0.1:%d/jwks" % host[1]}).encode()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
open(port_file, "w").write(str(server.server_address[1]))
threading.Timer(120, server.shutdown).start()
server.serve_forever()
