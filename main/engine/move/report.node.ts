/**
 * The verification report, saved in the archive directory so that it can be opened again later:
 * an HTML page (readable, printable, self-contained: no script, no external resource) and a JSON file beside it,
 * both in French and English.
 */
import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describeError, type ArcheErrorData, type Lang } from '../../../shared/errors.std.ts';
import type { VerifyFolderLine, VerifySummary } from '../../../shared/api.std.ts';
import { notCopiedGroups } from '../../../shared/verify-groups.std.ts';
import { formatDateTime } from '../../../shared/clock.std.ts';

export interface VerifyReportInput {
  /** Source account (as archived) and destination account: URLs, never passwords. */
  source: string;
  destination: string;
  checkedAt: Date;
  expected: number;
  present: number;
  missing: number;
  changed: number;
  folders: VerifyFolderLine[];
}

/** "23/11/2026 à 21:04" and "23/11/2026 at 21:04", in the machine's time zone. */
/** "02/12/2026 à 7 h 36" / "2 Dec 2026 at 07:36": the one formatter of the screens (shared/clock.std.ts). */
export function formatWhen(d: Date, lang: Lang): string {
  return formatDateTime(d, lang, { bare: true });
}

/** The one-sentence verdict at the top of the report. */
export function summaryNote(r: Pick<VerifyReportInput, 'expected' | 'missing' | 'changed' | 'folders' | 'checkedAt'>): ArcheErrorData {
  // Folders unchanged since an earlier check were not read again: the verdict says how many.
  const carried = r.folders.filter((f) => f.notes.some((n) => n.code === 'verify-unchanged-since')).length;
  const fields = { dateFr: formatWhen(r.checkedAt, 'fr'), dateEn: formatWhen(r.checkedAt, 'en'), ...(carried ? { carried } : {}) };
  return r.missing === 0 && r.changed === 0
    ? { code: 'verify-all-arrived', fields: { ...fields, messages: r.expected, folders: r.folders.length } }
    : { code: 'verify-some-missing', fields: { ...fields, missing: r.missing, changed: r.changed, expected: r.expected } };
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const words = (n: ArcheErrorData, lang: Lang): string => {
  const { message, action } = describeError(n, lang);
  return action ? `${message} ${action}` : message;
};

const LABELS = {
  fr: {
    title: 'Vérification du déménagement',
    from: 'Depuis', to: 'Vers', folder: 'Dossier', destination: 'Chez le nouveau fournisseur',
    expected: 'Attendus', present: 'Arrivés', missing: 'Manquants', changed: 'Différents',
    how: "Chaque message de votre ancienne messagerie, telle que la copie Arche faite au début du déménagement l'a lue, a été cherché chez le nouveau fournisseur et comparé octet par octet (empreinte du contenu).",
    details: 'Explications',
    groups: "Ce qui n'a pas été recopié, et pourquoi",
    group: {
      'moved-at-source': "Déplacés dans un autre dossier chez l'ancien fournisseur (copiés là-bas)",
      'deleted-at-source': "Supprimés chez l'ancien fournisseur (Arche les garde)",
      'brought-along': "Plus chez l'ancien fournisseur, emportés à votre demande dans un dossier à part",
      refused: 'Refusés par le nouveau fournisseur (raisons ci-dessous)',
      alreadyThere: 'Déjà dans la nouvelle messagerie avant le déménagement (pas une erreur)',
    } as Record<string, string>,
  },
  en: {
    title: 'Check of the move',
    from: 'From', to: 'To', folder: 'Folder', destination: 'At the new provider',
    expected: 'Expected', present: 'Arrived', missing: 'Missing', changed: 'Changed',
    how: "Every message of your old mailbox, as Arche's copy made at the start of the move read it, was looked for at the new provider and compared byte for byte (content fingerprint).",
    details: 'Explanations',
    groups: 'What was not copied, and why',
    group: {
      'moved-at-source': 'Moved to another folder at the old provider (copied there)',
      'deleted-at-source': 'Deleted at the old provider (Arche keeps them)',
      'brought-along': 'No longer at the old provider, taken as you asked into a separate folder',
      refused: 'Refused by the new provider (reasons below)',
      alreadyThere: 'Already in the new mailbox before the move (not an error)',
    } as Record<string, string>,
  },
} as const;

function section(r: VerifyReportInput, lang: Lang): string {
  const L = LABELS[lang];
  const nf = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB');
  const summary = summaryNote(r);
  const ok = r.missing === 0 && r.changed === 0;
  const rows = r.folders
    .map((f) => {
      const bad = f.missing > 0 || f.changed > 0;
      return `<tr${bad ? ' class="bad"' : ''}><td>${escapeHtml(f.source)}</td><td>${escapeHtml(f.destination)}</td><td class="n">${nf.format(f.expected)}</td><td class="n">${nf.format(f.present)}</td><td class="n">${nf.format(f.missing)}</td><td class="n">${nf.format(f.changed)}</td></tr>`;
    })
    .join('\n');
  const explanations = r.folders
    .filter((f) => f.notes.length)
    .map((f) => `<h3>${escapeHtml(f.source)}</h3><ul>${f.notes.map((n) => `<li>${escapeHtml(words(n, lang))}</li>`).join('')}</ul>`)
    .join('\n');
  const groups = Object.entries(notCopiedGroups(r.folders));
  const groupList = groups.length ? `<h2>${L.groups}</h2>\n<ul>${groups.map(([k, n]) => `<li>${escapeHtml(L.group[k] ?? k)}${lang === 'fr' ? ' :' : ':'} ${nf.format(n)}</li>`).join('')}</ul>` : '';
  return `<section lang="${lang}">
<h1>${L.title}</h1>
<p class="verdict ${ok ? 'ok' : 'ko'}">${escapeHtml(words(summary, lang))}</p>
<p>${L.from} : <b>${escapeHtml(r.source)}</b><br>${L.to} : <b>${escapeHtml(r.destination)}</b></p>
<p class="how">${L.how}</p>
<table>
<thead><tr><th>${L.folder}</th><th>${L.destination}</th><th>${L.expected}</th><th>${L.present}</th><th>${L.missing}</th><th>${L.changed}</th></tr></thead>
<tbody>
${rows}
<tr class="total"><td colspan="2"></td><td class="n">${nf.format(r.expected)}</td><td class="n">${nf.format(r.present)}</td><td class="n">${nf.format(r.missing)}</td><td class="n">${nf.format(r.changed)}</td></tr>
</tbody>
</table>
${groupList}
${explanations ? `<h2>${L.details}</h2>\n${explanations}` : ''}
</section>`;
}

export function renderReportHtml(r: VerifyReportInput): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Arche — ${LABELS.fr.title} / ${LABELS.en.title}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; } h3 { font-size: 1rem; margin-bottom: 0.2rem; }
.verdict { font-size: 1.2rem; padding: 0.8rem 1rem; border-radius: 6px; }
.ok { background: #e6f4ea; border: 1px solid #1e7e34; } .ko { background: #fdecea; border: 1px solid #b02a37; }
.how { color: #444; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.bad td { background: #fdecea; } tr.total td { font-weight: bold; }
section + section { border-top: 2px solid #999; margin-top: 3rem; padding-top: 1rem; }
@media print { body { margin: 0; max-width: none; } section + section { break-before: page; border: 0; } }
</style>
</head>
<body>
${section(r, 'fr')}
${section(r, 'en')}
</body>
</html>
`;
}

function stamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Write atomically (temp file + rename) so that a report is never found half-written. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The summary the API knows, plus the verdict sentence (code + fields) for whoever shows it. */
export type VerifyResult = VerifySummary & { summary: ArcheErrorData };

/** Saves the HTML and JSON reports in <archive>/reports/ and returns the summary with the HTML path. */
export function saveVerifyReport(archiveDir: string, r: VerifyReportInput): VerifyResult {
  const dir = path.join(archiveDir, 'reports');
  mkdirSync(dir, { recursive: true });
  let base = path.join(dir, `verification-${stamp(r.checkedAt)}`);
  // Two checks in the same second (a script, a test) must not overwrite each other.
  for (let n = 2; existsSync(`${base}.html`); n++) base = path.join(dir, `verification-${stamp(r.checkedAt)}-${n}`);
  const html = `${base}.html`;
  const summary = summaryNote(r);
  const json = {
    kind: 'arche-verify-report',
    version: 1,
    checkedAt: r.checkedAt.toISOString(),
    source: r.source,
    destination: r.destination,
    expected: r.expected,
    present: r.present,
    missing: r.missing,
    changed: r.changed,
    // Per folder: expected from the source, present, missing, changed, already there, not copied with reason.
    notCopied: notCopiedGroups(r.folders),
    summary: { code: summary.code, fields: summary.fields, fr: words(summary, 'fr'), en: words(summary, 'en') },
    folders: r.folders.map((f) => ({
      ...f,
      notes: f.notes.map((n) => ({ code: n.code, fields: n.fields, fr: words(n, 'fr'), en: words(n, 'en') })),
    })),
    html: path.basename(html),
  };
  writeAtomic(`${base}.json`, JSON.stringify(json, null, 2) + '\n');
  writeAtomic(html, renderReportHtml(r));
  return { expected: r.expected, present: r.present, missing: r.missing, changed: r.changed, folders: r.folders, report: html, summary };
}
