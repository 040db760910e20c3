// Vocabulary for the generated corpus: French names with accents, domains, topics with the keywords the
// benchmark queries look for, and the syllables of a Zipf-distributed pseudo-French filler vocabulary
// (so that an index has a realistic number of distinct terms, and a query word is not in every message).

export const OWNER = { name: 'Marie Dubois', addr: 'marie.dubois@mailo.com', first: 'Marie' };

export const FIRST_NAMES = [
  'Amélie', 'Béatrice', 'Cécile', 'Hélène', 'Jérôme', 'François', 'Gaëlle', 'Noël', 'Zoé', 'Loïc', 'Anaïs',
  'Raphaël', 'Clément', 'Léa', 'Chloé', 'Maël', 'Inès', 'Océane', 'Stéphane', 'Frédéric', 'Benoît', 'Thérèse',
  'André', 'Hervé', 'Joël', 'Agnès', 'Mélanie', 'Gérard', 'René', 'Sébastien', 'Élodie', 'Émilie', 'Jean',
  'Pierre', 'Paul', 'Sophie', 'Nicolas', 'Julie', 'Thomas', 'Camille', 'Lucas', 'Manon', 'Hugo', 'Sarah',
  'Louis', 'Claire', 'Antoine', 'Margaux', 'Yannick', 'Solène', 'Gwenaëlle', 'Ronan', 'Maëlys', 'Aurélien',
];

export const LAST_NAMES = [
  'Dupont', 'Lefèvre', 'Martin', 'Bernard', 'Girard', 'Moreau', 'Lefebvre', 'Rousseau', 'Fournier', 'Mercier',
  'Garnier', 'Chevalier', 'Faure', 'Gauthier', 'Périer', 'Lemaître', 'Duchêne', 'Bénard', 'Mathé', 'Le Gall',
  'Kerbœuf', 'Thébault', 'Lévêque', 'Bréhaut', 'Guérin', 'Ménard', 'Hémon', 'Pétillon', 'Robert', 'Petit',
  'Durand', 'Leroy', 'Simon', 'Laurent', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent',
];

export const DOMAINS = [
  'orange.fr', 'free.fr', 'laposte.net', 'gmail.com', 'wanadoo.fr', 'sfr.fr', 'yahoo.fr', 'mailo.com',
  'hotmail.fr', 'outlook.fr', 'regate-brest.fr', 'mairie-quimper.fr', 'univ-rennes.fr', 'cabinet-menard.fr',
];

export const CITIES = ['Brest', 'Quimper', 'Nantes', 'Bordeaux', 'Lyon', 'Besançon', 'Orléans', 'Saint-Malo', 'Nîmes', 'Évian'];
export const PROJECTS = ['Horizon', 'Pélican', 'Marée', 'Étoile', 'Cormoran', 'Goéland'];
export const ORGS = ['la Médiathèque', 'l\'Amicale', 'la Coopérative', 'Vélo Brest', 'la Régie'];
export const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/**
 * Topics: subject templates, body sentences (which carry the query keywords), attachment names.
 * Placeholders: {n} number, {d} day/month, {y} year, {m} month name, {v} city, {p} project, {o} org, {f} first name.
 */
export const TOPICS = {
  reunion: {
    subjects: ['Réunion du {d}', 'Compte rendu de la réunion du {d}', 'Réunion de l\'équipe — {d}', 'Ordre du jour de jeudi'],
    sentences: [
      'La réunion aura lieu le {d} à 14 h en salle {n}.',
      'Voici l\'ordre du jour de la réunion : budget, planning et questions diverses.',
      'Merci de relire le compte rendu avant la prochaine réunion.',
      'Je ne pourrai pas être présent à la réunion, désolé.',
    ],
    attachments: ['Compte rendu {d}.pdf', 'ordre_du_jour.docx'],
  },
  facture: {
    subjects: ['Votre facture n°{n}', 'Facture {m} {y}', 'Relance : facture impayée n°{n}', 'Votre facture est disponible'],
    sentences: [
      'Vous trouverez ci-joint votre facture n°{n} d\'un montant de {n},50 €.',
      'Le règlement de la facture est attendu sous trente jours.',
      'Votre facture de {m} est disponible dans votre espace client.',
    ],
    attachments: ['Facture_{n}.pdf', 'facture-{y}-{n}.pdf'],
  },
  vacances: {
    subjects: ['Vacances à {v}', 'Photos des vacances', 'Nos congés d\'été', 'Location pour les vacances de {m}'],
    sentences: [
      'Les vacances à {v} étaient formidables, voici quelques photos.',
      'Nous partons en congés le {d}, retour prévu début {m}.',
      'La location pour les vacances est confirmée, l\'hôtel est près de la plage.',
    ],
    attachments: ['photo_été_{y}_{n}.jpg', 'IMG_{n}.jpg', 'plage {v}.jpg'],
  },
  asso: {
    subjects: ['Assemblée générale de l\'association', 'Régate du {d}', 'Convocation à l\'assemblée générale {y}', 'Inscriptions régate'],
    sentences: [
      'L\'assemblée générale de l\'association se tiendra le {d} au club nautique.',
      'La régate du week-end est maintenue malgré la météo, rendez-vous au port à 9 h.',
      'Merci de renouveler votre cotisation avant l\'assemblée générale.',
      'Le classement de la Régate de printemps est en ligne.',
    ],
    attachments: ['Convocation AG {y}.pdf', 'classement_régate_{y}.pdf'],
  },
  projet: {
    subjects: ['Projet {p} : point d\'avancement', 'Budget du projet {p}', 'Rapport mensuel — {m} {y}', 'Projet {p}, prochaines étapes'],
    sentences: [
      'Le projet {p} avance bien, le rapport d\'étape est prêt.',
      'Le budget du projet dépasse de {n} % la prévision initiale.',
      'Peux-tu relire le rapport avant vendredi ?',
      'Les prochaines étapes du projet {p} sont décrites ci-dessous.',
    ],
    attachments: ['Rapport_{p}_{y}.docx', 'budget_{y}.xlsx', 'rapport-{m}.pdf'],
  },
  famille: {
    subjects: ['Anniversaire de {f}', 'Repas de Noël', 'Nouvelles de {v}', 'Dimanche chez mamie'],
    sentences: [
      'On fête l\'anniversaire de {f} samedi, tu viens ?',
      'Pour le repas de Noël, chacun apporte un plat.',
      'Des nouvelles de {v} : tout le monde va bien, les enfants grandissent.',
      'Bisous à tous, et à très bientôt.',
    ],
    attachments: ['photo_{n}.jpg', 'recette gâteau.pdf'],
  },
  newsletter: {
    subjects: ['La lettre de {o} — {m} {y}', 'Nos offres de la semaine', 'Programme de {m}', 'Les nouveautés de {o}'],
    sentences: [
      'Découvrez le programme de {o} pour le mois de {m}.',
      'Pour vous désinscrire de cette lettre, cliquez sur le lien en bas de page.',
      'Cette semaine, profitez de nos offres exceptionnelles.',
    ],
    attachments: ['programme_{m}.pdf'],
  },
  admin: {
    subjects: ['Votre relevé de compte', 'Avis d\'impôt disponible', 'Attestation d\'assurance {y}', 'Votre contrat'],
    sentences: [
      'Votre relevé de compte de {m} est disponible.',
      'Veuillez trouver ci-joint votre attestation d\'assurance pour {y}.',
      'Votre avis d\'impôt sur le revenu est disponible dans votre espace particulier.',
    ],
    attachments: ['Relevé de compte {m} {y}.pdf', 'attestation_{y}.pdf', 'scan_{n}.pdf'],
  },
};

/** Folders of the generated account, with their share of the messages and the topics found there. */
export const FOLDERS = [
  { name: 'INBOX', share: 0.40, topics: ['facture', 'vacances', 'famille', 'admin', 'reunion', 'asso', 'newsletter', 'projet'] },
  { name: 'Sent', share: 0.15, topics: ['famille', 'reunion', 'projet', 'vacances', 'asso'], fromOwner: true },
  { name: 'Archive', share: 0.12, topics: ['facture', 'admin', 'famille', 'vacances'] },
  { name: 'Travail', share: 0.08, topics: ['reunion', 'projet'] },
  { name: 'Travail/Projets', share: 0.06, topics: ['projet'] },
  { name: 'Famille', share: 0.06, topics: ['famille', 'vacances'] },
  { name: 'Associations/Régate', share: 0.04, topics: ['asso'] },
  { name: 'Newsletters', share: 0.06, topics: ['newsletter'] },
  { name: 'Trash', share: 0.02, topics: ['newsletter', 'facture', 'admin'] },
  { name: 'Junk', share: 0.01, topics: ['newsletter'] },
];

export const FUNCTION_WORDS = (
  'le la les de des du et est pour dans avec nous vous une un pas plus que qui sur au aux ce cette il elle on ' +
  'mais ou donc car très bien aussi tout fait être avoir comme leur leurs son sa ses notre nos votre vos par ' +
  'en à été était sont ont peut faire même encore après avant déjà toujours alors ainsi ici là où quand'
).split(' ');

export const SYLLABLES = (
  'ba be bi bo bu ca ce ci co cha che da de di do dé fa fe fi fo ga gi go la le li lo lu ma me mi mo mu na ne ' +
  'ni no pa pe pi po pra pre que qui ra re ri ro ru sa se si so ta te ti to tra tre va ve vi vo é è ê on an in ' +
  'eau ette ment tion oir ais eur ble gue vre cre plu fla gro'
).split(' ');
