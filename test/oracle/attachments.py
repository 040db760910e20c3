# Oracle for the text inside attachments (issue 14), independent of Arche: Python writes small but valid PDF, DOCX,
# XLSX, PPTX, ODT, RTF and CSV files by hand (zipfile, zlib), then reads each back with its own means (ElementTree
# over the office XML, the PDF's text operators after zlib) and says which words a reader sees in it. It also writes
# hostile files: zip bombs (declared, and lying about their size), a spreadsheet that says it is 200 MB, an
# encrypted PDF (RC4, standard security handler), PDFs whose page tree loops or whose stream swells to 200 MB.
# Usage: python3 attachments.py OUT_DIR > cases.json
import sys, os, json, random, zipfile, zlib, hashlib, struct, re, io
import xml.etree.ElementTree as ET

out = sys.argv[1]
rnd = random.Random(142)
def word():
    return 'q' + ''.join(rnd.choice('bcdfghjklmnprstvz') + rnd.choice('aeiou') for _ in range(4))

cases = []

# ---------- PDF ----------
def pdf_bytes(objects, trailer_extra=b''):
    out_ = b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'
    offs = []
    for i, o in enumerate(objects):
        offs.append(len(out_))
        out_ += b'%d 0 obj\n' % (i + 1) + o + b'\nendobj\n'
    x = len(out_)
    out_ += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    for o in offs:
        out_ += b'%010d 00000 n \n' % o
    out_ += b'trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n' % (len(objects) + 1, trailer_extra, x)
    return out_

def pdf_string(s):
    b = s.encode('cp1252')
    return b'(' + b''.join(bytes([c]) if 32 <= c < 127 and c not in b'()\\' else b'\\%03o' % c for c in b) + b')'

def text_pdf(lines):
    content = b'BT /F1 14 Tf 72 720 Td 18 TL\n' + b''.join(pdf_string(l) + b" '\n" for l in lines) + b'ET'
    stream = zlib.compress(content)
    return pdf_bytes([
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d /Filter /FlateDecode >>\nstream\n' % len(stream) + stream + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ])

def pdf_oracle(data):
    # the text operators of every FlateDecode stream, strings decoded from WinAnsi
    words = []
    for m in re.finditer(rb'stream\n(.*?)\nendstream', data, re.S):
        try:
            content = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for s in re.finditer(rb'\(((?:\\.|[^\\)])*)\)\s*(?:Tj|\')', content):
            raw = re.sub(rb'\\([0-7]{3})', lambda x: bytes([int(x.group(1), 8)]), s.group(1))
            words += re.findall(r'\w+', raw.decode('cp1252'))
    return words

# ---------- zip containers ----------
def write_zip(path, entries):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)

def xml_words(data, tags):
    root = ET.fromstring(data)
    words = []
    for el in root.iter():
        if el.tag.split('}')[-1] in tags and el.text:
            words += re.findall(r'\w+', el.text)
    return words

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
def docx(paragraphs):
    body = ''.join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % p for p in paragraphs)
    return [
        ('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        ('word/document.xml', '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W, body)),
    ]

S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
def xlsx(shared, inline):
    sst = ''.join('<si><t>%s</t></si>' % s for s in shared)
    cells = ''.join('<c r="A%d" t="s"><v>%d</v></c>' % (i + 1, i) for i in range(len(shared)))
    cells += ''.join('<c r="B%d" t="inlineStr"><is><t>%s</t></is></c>' % (i + 1, s) for i, s in enumerate(inline))
    cells += '<c r="C1"><v>4242</v></c>'
    return [
        ('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ('xl/sharedStrings.xml', '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="%d">%s</sst>' % (S, len(shared), sst)),
        ('xl/worksheets/sheet1.xml', '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData><row r="1">%s</row></sheetData></worksheet>' % (S, cells)),
    ]

A = 'http://schemas.openxmlformats.org/drawingml/2006/main'
def pptx(slides):
    return [('ppt/slides/slide%d.xml' % (i + 1), '<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="%s"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>' % (A, s)) for i, s in enumerate(slides)]

T = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0'
def odt(paragraphs):
    body = ''.join('<text:p>%s</text:p>' % p for p in paragraphs)
    return [
        ('mimetype', 'application/vnd.oasis.opendocument.text'),
        ('content.xml', '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="%s"><office:body><office:text>%s</office:text></office:body></office:document-content>' % (T, body)),
    ]

def sentence(n=6):
    return ' '.join(word() for _ in range(n))

def add(name, kind, data_or_entries, oracle):
    path = os.path.join(out, name)
    if isinstance(data_or_entries, list):
        write_zip(path, data_or_entries)
    else:
        open(path, 'wb').write(data_or_entries)
    cases.append({'file': name, 'kind': kind, 'words': oracle(path)})

# readable files: French words with accents and the oracle's own unique words
def zip_oracle(entries_filter, tags):
    def f(path):
        words = []
        with zipfile.ZipFile(path) as z:
            for n in sorted(z.namelist()):
                if entries_filter(n):
                    words += xml_words(z.read(n), tags)
        return words
    return f

pdf_lines = ['Procès-verbal de l’assemblée générale 2010', 'La régate aura lieu à Brest', sentence(), sentence()]
add('Procès-verbal AG 2010.pdf', 'pdf', text_pdf(pdf_lines), lambda p: pdf_oracle(open(p, 'rb').read()))
add('lettre.docx', 'docx', docx(['Chère Hélène, voici le devis', sentence(), sentence()]), zip_oracle(lambda n: n == 'word/document.xml', {'t'}))
add('comptes.xlsx', 'xlsx', xlsx(['Trésorerie', sentence(3), 'Cotisations'], [sentence(3)]), zip_oracle(lambda n: n.startswith('xl/'), {'t'}))
add('diapos.pptx', 'pptx', pptx(['Ordre du jour ' + sentence(3), sentence(4)]), zip_oracle(lambda n: n.startswith('ppt/slides/'), {'t'}))
add('compte-rendu.odt', 'odt', odt(['Compte rendu de la réunion', sentence(), sentence()]), zip_oracle(lambda n: n == 'content.xml', {'p'}))
rtf_words = [word(), word(), word()]
add('note.rtf', 'rtf', ('{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}{\\*\\generator Oracle;}\\f0 R\\\'e9union du bureau\\par %s %s\\par %s}' % tuple(rtf_words)).encode('ascii'),
    lambda p: ['Réunion', 'du', 'bureau'] + rtf_words)
csv_words = [word() for _ in range(4)]
add('adherents.csv', 'csv', ('nom;prénom;ville\n%s;%s;Brest\n"%s";"%s";Nantes\n' % tuple(csv_words)).encode('utf-8'), lambda p: csv_words + ['prénom', 'Brest', 'Nantes'])

# ---------- hostile files: each must end in bounded time and memory, and be counted ----------
hostile = []
def hostile_file(name, kind, data_or_entries, why):
    path = os.path.join(out, name)
    if isinstance(data_or_entries, list):
        write_zip(path, data_or_entries)
    elif isinstance(data_or_entries, bytes):
        open(path, 'wb').write(data_or_entries)
    hostile.append({'file': name, 'kind': kind, 'why': why})

# a zip bomb that says so: 100 MB of one letter, declared
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('word/document.xml', b'<w:t>' + b'a' * (100 * 1024 * 1024) + b'</w:t>')
bomb = buf.getvalue()
hostile_file('bombe.docx', 'docx', bomb, 'zip-bomb')
# the same bomb lying about its size (1,000 bytes declared, local and central headers)
lie = bytearray(bomb)
struct.pack_into('<I', lie, 22, 1000)
i = lie.find(b'PK\x01\x02')
struct.pack_into('<I', lie, i + 24, 1000)
hostile_file('bombe-menteuse.docx', 'docx', bytes(lie), 'zip-bomb-lying')
# a spreadsheet that declares a 200 MB sheet (zeros compress well)
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('xl/sharedStrings.xml', '<sst><si><t>x</t></si></sst>')
    z.writestr('xl/worksheets/sheet1.xml', b'<worksheet><sheetData>' + b'<row><c><v>0</v></c></row>' * (200 * 1024 * 1024 // 26) + b'</sheetData></worksheet>')
hostile_file('tableur-200-Mo.xlsx', 'xlsx', buf.getvalue(), 'too-large')

# an encrypted PDF (standard security handler, revision 2, RC4 40-bit; user password "secret")
def rc4(key, data):
    s = list(range(256)); j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256; s[i], s[j] = s[j], s[i]
    i = j = 0; res = bytearray()
    for c in data:
        i = (i + 1) % 256; j = (j + s[i]) % 256; s[i], s[j] = s[j], s[i]
        res.append(c ^ s[(s[i] + s[j]) % 256])
    return bytes(res)
PAD = bytes.fromhex('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A')
def padded(p): return (p + PAD)[:32]
O = rc4(hashlib.md5(padded(b'owner')).digest()[:5], padded(b'secret'))
P = -44
fid = hashlib.md5(b'arche').digest()
key = hashlib.md5(padded(b'secret') + O + struct.pack('<i', P) + fid).digest()[:5]
U = rc4(key, PAD)
def encrypted_pdf():
    content = zlib.compress(b'BT /F1 14 Tf 72 720 Td (secret words) Tj ET')
    objs = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
        b'<< /Length %d /Filter /FlateDecode >>\nstream\n' % len(content) + content + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        b'<< /Filter /Standard /V 1 /R 2 /O <' + O.hex().encode() + b'> /U <' + U.hex().encode() + b'> /P %d >>' % P,
    ]
    return pdf_bytes(objs, b'/Encrypt 6 0 R /ID [<' + fid.hex().encode() + b'> <' + fid.hex().encode() + b'>] ')
hostile_file('chiffré.pdf', 'pdf', encrypted_pdf(), 'encrypted')
# a page tree whose Kids point back at itself, and objects that refer to each other in a ring
hostile_file('boucle.pdf', 'pdf', pdf_bytes([
    b'<< /Type /Catalog /Pages 2 0 R >>',
    b'<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>',
    b'<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 /Parent 3 0 R >>',
]), 'loop')
# a content stream that swells to 100 MB of text operators
swell = zlib.compress(b'BT /F1 1 Tf ' + b'(aaaaaaaa) Tj ' * (100 * 1024 * 1024 // 14) + b'ET', 6)
hostile_file('enorme-flux.pdf', 'pdf', pdf_bytes([
    b'<< /Type /Catalog /Pages 2 0 R >>',
    b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    b'<< /Length %d /Filter /FlateDecode >>\nstream\n' % len(swell) + swell + b'\nendstream',
    b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
]), 'huge-stream')
hostile_file('pas-un-pdf.pdf', 'pdf', os.urandom(4096), 'malformed')

print(json.dumps({'readable': cases, 'hostile': hostile}, ensure_ascii=False))
