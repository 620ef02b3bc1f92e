"""XSS payloads: the OWASP "XSS Filter Evasion Cheat Sheet" forms (made to call alert() or set
window.__xss instead of loading remote scripts), plus attribute, template and context breakers.
"""
from __future__ import annotations

from html.parser import HTMLParser

EMBED_SVG = ("PHN2ZyB4bWxuczpzdmc9Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAw"
             "MC9zdmciIHZlcnNpb249IjEuMCI+PHNjcmlwdD5hbGVydCgiWFNTIik7PC9zY3JpcHQ+PC9zdmc+")

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<SCRIPT>alert('XSS')</SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112"
    "&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083"
    "&#0000083&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;"
    "&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58"
    "&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<SCRIPT/XSS>window.__xss=1</SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    "<iframe src=\"javascript:alert(1)\" <",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<svg/onload=alert('XSS')>",
    "<svg><script>window.__xss=1</script></svg>",
    "<STYLE>@import'javascript:alert(\"XSS\")';</STYLE>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"javascript:alert('XSS')\"></OBJECT>",
    f"<EMBED SRC=\"data:image/svg+xml;base64,{EMBED_SVG}\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
    "<a href=\"javascript:window.__xss=1\">click</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"jAvAsCrIpT&colon;window.__xss=1\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "\"><script>window.__xss=1</script>",
    "'><img src=x onerror=window.__xss=1>",
    "\" onfocus=\"window.__xss=1\" autofocus=\"",
    "' onfocus='window.__xss=1' autofocus='",
    "</textarea><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "{{7*7}}<script>window.__xss=1</script>{% raw %}",
    "javascript:window.__xss=1",
    "<details open ontoggle=window.__xss=1>",
    "<video><source onerror=\"window.__xss=1\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\">",
    "<form><button formaction=javascript:window.__xss=1>x</button></form>",
    "https://example.org/\"><img src=x onerror=window.__xss=1>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "%3Cscript%3Ewindow.__xss=1%3C/script%3E",
    "<img src=\"x` `<script>window.__xss=1</script>\"` `>",
    "<IMG SRC=x onerror=\"window.__xss=1\"//",
    "<marquee onstart=window.__xss=1>",
    "<a href=\"https://example.org\" onclick=\"window.__xss=1\" style=\"position:fixed;inset:0\">x</a>",
]

#: Attributes whose value is a URL the browser would follow or load.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "dynsrc", "lowsrc", "data", "poster", "xlink:href"}
#: Elements no page of ours contains, so any of them came from user input.
FOREIGN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "svg", "math", "base", "style", "marquee", "video",
                "audio", "source", "noscript", "applet", "mglyph", "input_image"}


class DangerFinder(HTMLParser):
    """Everything in a page that could run script or load something off-site."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_head = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag == "head":
            self._in_head = True
        if tag == "body" and self._seen_body():
            self.problems.append("a second <body>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script> not from /static/: {attrs}")
        if tag == "meta" and any(name == "http-equiv" for name, _value in attrs):
            self.problems.append(f"<meta http-equiv>: {attrs}")
        if tag in FOREIGN_TAGS or (tag == "input" and dict(attrs).get("type", "").lower() == "image"):
            self.problems.append(f"foreign element <{tag}>")
        if tag == "title" and not self._in_head:
            self.problems.append("<title> outside the head")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(ch for ch in value if ch > " ").lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:", "livescript:")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "head":
            self._in_head = False

    _bodies = 0

    def _seen_body(self) -> bool:
        self._bodies += 1
        return self._bodies > 1


def dangers(html: str) -> list[str]:
    finder = DangerFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
