"""The PrivateNumber wire protocol written from the public docs alone (requests.md §1),
independent of the SDK: signing with Python's hmac, HTTP with urllib."""
import base64
import datetime
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

AUTHORIZATION = 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"'


def created_now(offset_seconds=0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(secret, nonce, created):
    mac = hmac.new(secret.encode(), (nonce + created).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def x_aksk(app_key, secret, nonce=None, created=None):
    nonce = nonce or uuid.uuid4().hex
    created = created or created_now()
    return ('UsernameToken Username="%s",PasswordDigest="%s",Nonce="%s",Created="%s"'
            % (app_key, digest(secret, nonce, created), nonce, created))


def parse_token(value):
    """Parses a UsernameToken header value into a dict."""
    assert value.startswith("UsernameToken "), value
    fields = {}
    for part in value[len("UsernameToken "):].split(","):
        key, _, quoted = part.strip().partition("=")
        fields[key] = quoted.strip('"')
    return fields


class DocsClient:
    def __init__(self, base_url, app_key, secret):
        self.base_url, self.app_key, self.secret = base_url.rstrip("/"), app_key, secret

    def call(self, method, path, query=None, body=None, headers=None):
        """Returns (HTTP status, parsed JSON body)."""
        status, _, payload = self.call_raw(method, path, query, body, headers)
        return status, json.loads(payload or b"{}")

    def call_raw(self, method, path, query=None, body=None, headers=None):
        """Returns (HTTP status, response headers, body bytes). Redirects are never followed:
        the recording API answers 301 and the URL is in Location."""
        url = self.base_url + path
        if query:
            # quote_via=quote with safe="" sends '+' as %2B, as the docs require.
            url += "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote, safe="")
        if headers is None:
            headers = {"Authorization": AUTHORIZATION, "X-AKSK": x_aksk(self.app_key, self.secret)}
        headers = dict(headers)
        headers["Content-Type"] = "application/json;charset=UTF-8"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with _NO_REDIRECTS.open(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the 3xx back to the caller as an HTTPError


_NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)
