// The fixed query set (20): the same meaning in each engine's syntax. Words, phrases, operators, dates, rare and
// common terms. The generated corpus plants the rare words (zéphyrin ~1/1,700 messages, quetzalcoatl ~1/6,700) and
// the topic words (réunion, facture, vacances, budget, rapport...) so that every query has a known, varied hit count.
//
// Where an engine cannot say the same thing exactly, the closest form is used and noted:
//  - accents: Arche and mu fold accents ("regate" finds "Régate"); notmuch does not, so it gets the accented word.
//  - attachments: notmuch tags messages with attachments "attachment" at indexing time; mu has flag:attach.
//  - folder: exact folder (Arche folder:, notmuch folder:, mu maildir:/).
//  - attachment text only: Arche's dans-pj:, mu's embed:; notmuch has no such field (closest: a message with an
//    attachment that has the word somewhere).
//  - no larger:/smaller: query: notmuch has no size operator, so it could not mean the same thing everywhere.
export const QUERIES = [
  { kind: 'common word', arche: 'merci', notmuch: 'merci', mu: 'merci' },
  { kind: 'word', arche: 'facture', notmuch: 'facture', mu: 'facture' },
  { kind: 'rare word', arche: 'zéphyrin', notmuch: 'zéphyrin', mu: 'zéphyrin' },
  { kind: 'very rare word', arche: 'quetzalcoatl', notmuch: 'quetzalcoatl', mu: 'quetzalcoatl' },
  { kind: 'accent-folded word', arche: 'regate', notmuch: 'régate', mu: 'regate' },
  { kind: 'phrase', arche: '"assemblée générale"', notmuch: '"assemblée générale"', mu: '"assemblée générale"' },
  { kind: 'from:', arche: 'from:dupont', notmuch: 'from:dupont', mu: 'from:dupont' },
  { kind: 'to:', arche: 'to:girard', notmuch: 'to:girard', mu: 'to:girard' },
  { kind: 'subject:', arche: 'subject:facture', notmuch: 'subject:facture', mu: 'subject:facture' },
  { kind: 'has:attachment + word', arche: 'has:attachment rapport', notmuch: 'tag:attachment and rapport', mu: 'flag:attach and rapport' },
  { kind: 'filename:', arche: 'filename:facture', notmuch: 'attachment:facture', mu: 'file:facture*' },
  { kind: 'date range + word', arche: 'réunion after:2020-01-01 before:2021-01-01', notmuch: 'réunion and date:2020-01-01..2020-12-31', mu: 'réunion and date:20200101..20201231' },
  { kind: 'year + word', arche: 'vacances on:2019', notmuch: 'vacances and date:2019-01-01..2019-12-31', mu: 'vacances and date:20190101..20191231' },
  { kind: 'folder: + word', arche: 'folder:Travail budget', notmuch: 'folder:Travail and budget', mu: 'maildir:/Travail and budget' },
  { kind: 'OR', arche: 'vacances OR congés', notmuch: 'vacances or congés', mu: 'vacances or congés' },
  { kind: 'negation', arche: 'projet -budget', notmuch: 'projet and not budget', mu: 'projet and not budget' },
  { kind: 'prefix', arche: 'assembl*', notmuch: 'assembl*', mu: 'assembl*' },
  // issue 14: two queries that only attachment text answers (bench/corpus.mjs puts real documents in the messages;
  // "ornithorynque" is in about 1 document in 20 and nowhere else). mu reads text/* attachments (embed:), notmuch
  // text/* attachments too; neither reads PDF or office files, so their counts are lower by design.
  { kind: 'word only in attachments', arche: 'ornithorynque', notmuch: 'ornithorynque', mu: 'ornithorynque or embed:ornithorynque' },
  { kind: 'attachment text (dans-pj:)', arche: 'dans-pj:budget', notmuch: 'tag:attachment and budget', mu: 'embed:budget' },
  { kind: 'is:flagged + word', arche: 'is:flagged facture', notmuch: 'tag:flagged and facture', mu: 'flag:flagged and facture' },
];
