"""Page furniture: the lines a web page wraps around an article (all selectors in one module).

Used on plain-text page dumps (the line classifier in :mod:`newsdesk.extract.plaintext`) and to
clean what HTML extraction leaves behind.
"""

from __future__ import annotations

import re

# A line that is nothing but one of these is furniture wherever it stands (one pattern a line).
_FURNITURE_LINES = r"""
log ?in|log ?out|sign ?in|sign ?up|sign in or register|register|my account
subscribe( now| today)?|subscribe for \S+|try pro|go pro|upgrade|donate
ad|ads|advert(isement)?|sponsored( content)?|promoted( content)?|paid content
skip to (main )?content|skip navigation|menu|main menu|search|close|home
share( this( article| story| page)?)?|share on \w+|tweet|facebook|twitter|x|linkedin|whatsapp|reddit
email|e-mail
print|print (this )?(article|page|story)|order reprints?|reprints?( (and|&) permissions)?
copy link|link copied|save|saved|listen( to this article)?|\d+ min(ute)?s? (read|listen)
back to top|top of page
most (read|popular|viewed|shared)|trending( now)?|popular now|latest( news)?
related( articles| stories| content| coverage| topics)?|recommended( for you)?|read more|read next
more from [\w .&'-]+|you (may|might) also like|more stories|editor'?s picks
show comments|comments?( \(\d+\))?|\d+ comments?|leave a comment|join the conversation
about( us)?|contact( us)?|advertis(e|ing)( with us)?|careers|jobs|help|faq|sitemap|accessibility
cookie (policy|settings|preferences)|cookies|privacy( policy| notice| settings)?
terms( (of (use|service)|and conditions|& conditions))?
newsletters?|rss|podcasts?|follow us( on [\w ]+)?
accept( all)?( cookies)?|reject all|manage (cookies|preferences|consent)|got it|ok|continue
all rights reserved\.?|tags:?|topics:?
(image|photo|picture|video)( source| credit)?: .{0,60}|getty images|caption|expand|watch|play video
(images?|photos?|videos?)|view (image|gallery|slideshow|comments)
advertisement - scroll to continue|story continues below( advertisement)?|continue reading( below)?|loading\.*
thank you!?|thanks for (signing up|subscribing)!?|sorry!?|keep an eye on your inbox.{0,60}
an error (has )?occurred.{0,40}|there was an error.{0,60}
this copy is for your personal, non-commercial use only.*|write to .{2,60} at \S+@\S+
"""
FURNITURE_LINE = re.compile(r"^\W*(?:" + "|".join(_FURNITURE_LINES.strip().splitlines()) + r")\W*$", re.IGNORECASE)

# Prompts that end the readable article: what follows is paywall, recirculation or footer.
_BODY_ENDS = [
    r"^unlock (premium|full|unlimited|this)",
    r"start your free trial",
    r"^(try|start) .{0,30}free trial",
    r"^already (have an?|a) .{0,40}(account|subscriber|member|subscription)",
    r"^subscribe (now )?to (continue|keep) reading",
    r"^to continue reading",
    r"^(this|the rest of this) "
    r"(article|content|story) is (for|available to|reserved for|exclusive to) (subscribers|members)",
    r"^become a (member|subscriber)",
    r"^most (read|popular|viewed)\W*$",
    r"^(related|recommended|more) (articles|stories|coverage)\W*$",
    r"^read more\W*$",
    r"^you (may|might) also like",
    r"^(show |view )?comments?\b",
    r"^leave a comment",
    r"^sign up (for|to) our",
    r"^get our .{0,40}newsletter",
    r"^(about|contact) us\W*$",
]
BODY_END = re.compile("|".join(f"(?:{p})" for p in _BODY_ENDS), re.IGNORECASE)

# Cookie notices and consent banners, which run to full sentences.
COOKIE_NOTICE = re.compile(
    r"\b(we|this (site|website)) uses? cookies\b|\bby (continuing|using) (to (browse|use) )?(this|our) "
    r"(site|website)\b|\bcookie (policy|settings)\b.*\baccept\b",
    re.IGNORECASE,
)

COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<owner>[^.|]+)?", re.IGNORECASE
)


def is_furniture(line: str) -> bool:
    """A whole line that belongs to the page, not to the article."""
    text = line.strip()
    if not text:
        return False
    if FURNITURE_LINE.match(text):
        return True
    if COPYRIGHT.match(text) and len(text) < 160:
        return True
    return bool(COOKIE_NOTICE.search(text)) and len(text) < 400


def ends_body(line: str) -> bool:
    """A prompt after which a page stops being the article (paywall, "Most Read", comments)."""
    text = line.strip()
    return len(text.split()) <= 20 and bool(BODY_END.search(text))


def copyright_owner(line: str) -> str | None:
    match = COPYRIGHT.match(line.strip())
    if not match or not match.group("owner"):
        return None
    owner = re.sub(r"\ball rights reserved\b.*", "", match.group("owner"), flags=re.IGNORECASE).strip(" ,.-")
    return owner or None


# A sentence that opens with the report's credits rather than news: "(Reporting by ...; Editing by ...)",
# "By the CNN Wire Staff ...", "By Ann Other BBC News, ...", "Editor's note: ...", an update marker
# ("NEW: ..."), a prompt to the reader ("Follow us ...", "Send your photos ...", "Sign up ..."). Extraction
# keeps them in the body (a credit line glued to what follows is one "sentence"), so citations still point
# into it, but they are never shown as what the story says.
_CREDIT_SENTENCE = re.compile(
    r"^\W{0,3}(?:"
    r"(?:[Aa]dditional\s+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Pp]roduced)\s+by\b"
    r"|By\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,4}(?=\s+[A-Z]|,|\s*$)"
    r"|[Ee]ditor'?’?s\s+[Nn]ote\b"
    r"|(?:NEW|UPDATED?|BREAKING|DEVELOPING)\s*:"
    r"|(?:[Pp]hoto(?:graph)?|[Ii]mage|[Pp]icture|[Vv]ideo|[Gg]raphic)s?\s*(?:by\b|:|credit\b|courtesy\b)"
    r"|(?:[Pp]rovided|[Ss]upplied)\s+by\b|[Cc]ourtesy\s+of\b"
    # a prompt to the reader: "Follow us / our reporters / the latest ...", "Send your photos", "Sign up"
    r"|Follow\s+(?:us|our|the\s+latest|@)\b|Send\s+(?:us|your)\b|Sign\s+[Uu]p\b|Subscribe\b"
    r"|Share\s+(?:this|your)\b|Download\s+(?:our|the)\s+\w*\s*app\b"
    r")"
)
# A photo credit or a link prompt anywhere in a sentence: a caption glued to the text ("... (photo: Ann
# Other) ...", "(XY Photo/Ann Other)", "Photograph: Ann Other/XY", "Ann Other/Agency Images for ..."), or an
# invitation to click. A credit names a photographer (two or more capitalised words) and an agency around a
# slash: an all-capitals agency or "... Images".
_CAPTION_CREDIT = re.compile(
    r"\((?:[A-Z]{2,}\s+)?[Pp]hoto(?:graph)?s?\s*[:/]"
    r"|\b[Pp]hotograph\s*:\s"
    r"|(?:^|[\s(])[A-Z][a-z][\w.'’-]*(?:\s+(?:(?:d[aei]|v[oa]n|del?|la|le)\s+)?[A-Z][a-z][\w.'’-]*){1,3}"
    r"\s?/\s?(?:[A-Z]{2,}\b|[A-Z][a-z]+\s+Images\b)"
    r"|\b[Cc]lick\s+(?:here|on\s+(?:the|this)\s+link)\b"
)
# A page label glued into a sentence: "... found PHOTO GALLERY: Memorial quickly growing ...", "WATCH: ...".
_GLUED_LABEL = re.compile(r"(?:^|\s)[A-Z]{2,}(?:\s+[A-Z]{2,})*:\s")


def opens_with_credit(sentence: str) -> bool:
    """Whether a sentence starts with bylines or credits, or carries a page label, a photo credit or a link
    prompt: page text, not what happened."""
    text = sentence.strip()
    if _CREDIT_SENTENCE.match(text) or _CAPTION_CREDIT.search(text):
        return True
    label = _GLUED_LABEL.search(text)
    return label is not None and sum(c.isalpha() for c in label.group()) >= 5
