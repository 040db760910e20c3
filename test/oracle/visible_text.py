# Oracle for test/integration/find-visible-text.test.ts, independent of Arche: Python's email package writes
# messages (multipart/alternative with words in the HTML version only, forwarded messages as message/rfc822 with
# RFC 2047 names, RFC 2231 file names, Cc and Bcc), then reads them back with its own parser and says, per message,
# which words a reader can see and in which part. Usage: python3 visible_text.py OUT_DIR > cases.json
import sys, json, random, re, os
from email.message import EmailMessage
from email import policy
from email.parser import BytesParser
from email.headerregistry import Address
from html.parser import HTMLParser

out = sys.argv[1]
rnd = random.Random(14)
def word():
    return 'q' + ''.join(rnd.choice('bcdfghjklmnprstvz') + rnd.choice('aeiou') for _ in range(4))

# --- generate -----------------------------------------------------------------------------------------------
msgs = []
def base(i, subject):
    m = EmailMessage(policy=policy.SMTP)
    m['From'] = Address('Hélène Dû ' + word(), 'helene', 'example.fr')
    m['To'] = Address('Marie', 'marie', 'example.fr')
    m['Subject'] = subject
    m['Date'] = 'Tue, 0%d Mar 2022 10:00:00 +0100' % (i % 9 + 1)
    m['Message-ID'] = '<oracle%d@example.fr>' % i
    return m

for i in range(6):
    # multipart/alternative: a plain stub, the words in the HTML version only
    m = base(i, 'Lettre n°%d' % i)
    m.set_content('Voir ce message dans votre navigateur.\n')
    words = ' '.join(word() for _ in range(6))
    m.add_alternative('<html><body><p>Voir ce message dans votre navigateur.</p><table><tr><td>Bonjour, <b>%s</b> à bientôt</td></tr></table><p>%s</p></body></html>' % (words, ' '.join(word() for _ in range(3))), subtype='html')
    msgs.append(('alt%d.eml' % i, m))

for i in range(4):
    # a forwarded message as an attachment, its headers with RFC 2047 names
    inner = base(100 + i, 'Procès-verbal ' + word())
    inner.set_content('Le texte transféré : %s et %s.\n' % (word(), word()))
    m = base(10 + i, 'Tr: procès-verbal')
    m['Cc'] = Address('Agnès ' + word(), 'agnes', 'example.fr')
    m['Bcc'] = Address('Cécile ' + word(), 'cecile', 'example.fr')
    m.set_content('Je te transfère ceci.\n')
    m.add_attachment(inner)  # message/rfc822
    msgs.append(('fwd%d.eml' % i, m))

for i in range(3):
    # RFC 2231 file names (non-ASCII), RFC 2047 subject
    m = base(20 + i, 'Réunion de l’été ' + word())
    m.set_content('Voici la pièce jointe.\n')
    m.add_attachment(b'%PDF-1.4 fake', maintype='application', subtype='pdf', filename='Procès-verbal %s été.pdf' % word())
    msgs.append(('att%d.eml' % i, m))

# --- extract, with Python's own parser only -------------------------------------------------------------------
class Text(HTMLParser):
    def __init__(self):
        super().__init__(); self.parts = []
    def handle_data(self, d): self.parts.append(d)
def words_of(s): return re.findall(r'[^\W_]+', s)

cases = []
for name, m in msgs:
    raw = m.as_bytes()
    open(os.path.join(out, name), 'wb').write(raw)
    p = BytesParser(policy=policy.default).parsebytes(raw)
    checks = []
    plain, html = [], []
    for part in p.walk():
        if part.get_content_type() == 'message/rfc822':
            inner = part.get_payload()[0]
            for h in ('From', 'Subject'):
                checks += [{'word': w, 'part': 'forwarded-' + h.lower()} for w in words_of(str(inner[h])) if w.startswith('q')]
            for w in words_of(inner.get_body(('plain',)).get_content()):
                if w.startswith('q'): checks.append({'word': w, 'part': 'forwarded-body', 'context': inner.get_body(('plain',)).get_content().strip()})
            break
        if part.get_content_type() == 'text/plain' and not part.is_attachment(): plain.append(part.get_content())
        if part.get_content_type() == 'text/html':
            t = Text(); t.feed(part.get_content()); html.append(' '.join(t.parts))
    plain_words = set(w.lower() for s in plain for w in words_of(s))
    for s in html:
        for w in words_of(s):
            if w.lower() not in plain_words: checks.append({'word': w, 'part': 'html-only'})
    for h, label in (('From', 'from'), ('Cc', 'cc'), ('Bcc', 'bcc'), ('Subject', 'subject')):
        if p[h]: checks += [{'word': w, 'part': label} for w in words_of(str(p[h])) if w.startswith('q') or label == 'subject']
    for a in p.iter_attachments():
        fn = a.get_filename()
        if fn: checks += [{'word': w, 'part': 'filename'} for w in words_of(fn)]
    cases.append({'file': name, 'messageId': str(p['Message-ID']), 'checks': checks})
print(json.dumps(cases, ensure_ascii=False))
