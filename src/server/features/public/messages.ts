import type { RedFlagCode } from '#shared/catalogues/field.ts';
import type { TipStatus } from '#shared/contracts/tips.ts';

/** The languages of the public pages: what a driver reads after scanning the card. */
export const publicLanguages = ['en', 'es', 'fr'] as const;
export type PublicLanguage = (typeof publicLanguages)[number];

export const languageNames: Record<PublicLanguage, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
};

/** What the public pages say, in each language. `{name}`-style holes are filled by the pages. */
export interface PublicMessages {
  pageTitle: string;
  intro: string;
  emergencyTitle: string;
  emergency: string;
  hotlineTitle: string;
  hotlineCall: string;
  hotlineText: string;
  hotlineWeb: string;
  hotlineAlways: string;
  verifiedOn: string;
  agencyLines: string;
  signsTitle: string;
  signsIntro: string;
  redFlags: Record<RedFlagCode, string>;
  whatToDoTitle: string;
  whatToDo: string[];
  numbersTitle: string;
  source: string;
  tipTitle: string;
  tipIntro: string;
  tipNeverContact: string;
  seenLegend: string;
  whereLegend: string;
  wherePlace: string;
  wherePlaceNone: string;
  whereText: string;
  whereTextHint: string;
  nearMe: string;
  nearMeDone: string;
  nearMeFailed: string;
  whenLabel: string;
  whenDate: string;
  whenTime: string;
  vehiclesLegend: string;
  vehicle: string;
  plate: string;
  plateState: string;
  vehicleDescription: string;
  vehicleDescriptionHint: string;
  peopleLabel: string;
  peopleHint: string;
  narrativeLabel: string;
  narrativeHint: string;
  contactLegend: string;
  contactLabel: string;
  contactHint: string;
  contactSafeLabel: string;
  contactSafe: Record<'yes' | 'no' | 'unsure', string>;
  honeypot: string;
  send: string;
  optional: string;
  errorsTitle: string;
  errors: {
    tooLong: string;
    required: string;
    empty: string;
    invalid: string;
    tooFast: string;
    expired: string;
    honeypot: string;
    rateLimited: string;
    notFound: string;
  };
  thanksTitle: string;
  thanks: string;
  receiptLabel: string;
  secretLabel: string;
  receiptKeep: string;
  followUpLink: string;
  followUpTitle: string;
  followUpIntro: string;
  followUpShow: string;
  statusTitle: string;
  statuses: Record<TipStatus, string>;
  statusExplained: Record<TipStatus, string>;
  receivedOn: string;
  addTitle: string;
  addLabel: string;
  addSend: string;
  added: string;
  backToPage: string;
  language: string;
  privacy: string;
  scanPrompt: string;
}

const en: PublicMessages = {
  pageTitle: 'Human trafficking: know the signs, make the call',
  intro:
    'If you or someone you know is being forced to work or to sell sex, there is a way out. Help is free, confidential and open day and night.',
  emergencyTitle: 'Someone in danger right now?',
  emergency: 'Call 911 first.',
  hotlineTitle: 'Then call the hotline',
  hotlineCall: 'Call',
  hotlineText: 'Text',
  hotlineWeb: 'Online',
  hotlineAlways: 'Open 24 hours a day, in more than 200 languages.',
  verifiedOn: 'Number checked on {date}.',
  agencyLines: 'Reach {agency}',
  signsTitle: 'Signs to look for',
  signsIntro: 'One sign alone proves nothing; several together are worth a call.',
  redFlags: {
    unaware_of_location: 'The person does not know where they are.',
    id_held_by_other: 'Someone else holds their ID or passport.',
    cannot_speak_freely: 'They cannot speak for themselves, or someone is watching them.',
    quota_or_pimp_talk: 'They talk of a quota, a “pimp” or a “daddy”.',
    branding_tattoo: 'They have a tattoo that looks like a brand or a name.',
    fearful_submissive: 'They seem afraid, nervous or submissive.',
    lot_drop_off:
      'A vehicle drops people in the truck lot; they go from truck to truck and are picked up later.',
    minor_offered: 'A minor is offered for sex.',
    other: 'Something else that does not feel right.',
  },
  whatToDoTitle: 'What to do',
  whatToDo: [
    'If someone is in immediate danger, call 911.',
    'Call or text the hotline, or send a tip below.',
    'Tell the manager of the truck stop.',
    'Do not approach or confront anyone.',
    'Note the vehicle’s make, model, colour and plate, what the people look like, and the date, time and place. Take photos only if it is safe.',
  ],
  numbersTitle: 'The numbers',
  source: 'Source',
  tipTitle: 'Send a tip to {agency}',
  tipIntro:
    'You do not need to give your name. Every field is optional: tell us what you can, at least what you saw or what happened.',
  tipNeverContact:
    '{agency} will never call, text or e-mail you unless you leave a way to reach you and say it is safe.',
  seenLegend: 'What did you see?',
  whereLegend: 'Where?',
  wherePlace: 'A place we know',
  wherePlaceNone: 'Choose a place',
  whereText: 'Or describe the place',
  whereTextHint: 'For example: the truck stop at exit 12 on I-70, west lot.',
  nearMe: 'Use where I am now',
  nearMeDone: 'Your position will be sent with the tip.',
  nearMeFailed: 'Your position could not be found; describe the place instead.',
  whenLabel: 'When?',
  whenDate: 'Date',
  whenTime: 'Time',
  vehiclesLegend: 'Vehicles',
  vehicle: 'Vehicle {n}',
  plate: 'Plate',
  plateState: 'State or province',
  vehicleDescription: 'Make, model, colour',
  vehicleDescriptionHint: 'For example: white Ford van, dent on the rear door.',
  peopleLabel: 'The people',
  peopleHint: 'How many, what they looked like, what they wore. No names needed.',
  narrativeLabel: 'What happened?',
  narrativeHint: 'In your own words.',
  contactLegend: 'May we reach you?',
  contactLabel: 'A phone number or e-mail address',
  contactHint: 'Leave it empty to stay anonymous.',
  contactSafeLabel: 'Is it safe for us to contact you there?',
  contactSafe: { yes: 'Yes', no: 'No', unsure: 'I am not sure' },
  honeypot: 'Leave this field empty',
  send: 'Send the tip',
  optional: 'optional',
  errorsTitle: 'Please check the form',
  errors: {
    tooLong: 'is too long (at most {max} characters)',
    required: 'tell us what happened',
    empty: 'the tip is empty: tell us what you saw or what happened',
    invalid: 'is not valid',
    tooFast:
      'The form was sent too quickly after it opened. Please check it and send it again; nothing was lost.',
    expired: 'The form was open too long. Please check it and send it again; nothing was lost.',
    honeypot: 'The form could not be sent. Please send it again.',
    rateLimited:
      'Too many tips were sent from here just now. Please wait a few minutes and try again, or call the hotline.',
    notFound: 'No tip matches that receipt and secret.',
  },
  thanksTitle: 'Thank you. Your tip was received.',
  thanks: '{agency} has your tip. You can check on it and add to it later with this receipt.',
  receiptLabel: 'Receipt',
  secretLabel: 'Secret',
  receiptKeep:
    'Write both down or take a picture of them. Keep the secret to yourself: anyone who has both can read the status of the tip and add to it.',
  followUpLink: 'Check on a tip you sent',
  followUpTitle: 'Check on a tip',
  followUpIntro: 'Enter the receipt and the secret you were given when you sent the tip.',
  followUpShow: 'Show the tip’s status',
  statusTitle: 'Status of tip {receipt}',
  statuses: {
    new: 'Received',
    in_review: 'Being reviewed',
    referred: 'Referred',
    closed: 'Closed',
  },
  statusExplained: {
    new: 'Your tip was received and is waiting to be read.',
    in_review: 'Someone at {agency} is reviewing your tip.',
    referred: 'Your tip was passed on to those who can act on it.',
    closed: 'The review of your tip is finished.',
  },
  receivedOn: 'Received on {date}.',
  addTitle: 'Add information',
  addLabel: 'What else should we know?',
  addSend: 'Add it to the tip',
  added: 'Thank you: your information was added to the tip.',
  backToPage: 'Back to the page',
  language: 'Language',
  privacy:
    'This page sets no tracking cookie and loads nothing from anyone else. Your address on the internet is not kept with your tip.',
  scanPrompt: 'Scan to learn the signs, or to send a tip, anonymously if you wish:',
};

const es: PublicMessages = {
  pageTitle: 'Trata de personas: conozca las señales y llame',
  intro:
    'Si a usted o a alguien que conoce lo obligan a trabajar o a vender sexo, hay una salida. La ayuda es gratuita, confidencial y está disponible día y noche.',
  emergencyTitle: '¿Alguien corre peligro ahora mismo?',
  emergency: 'Llame primero al 911.',
  hotlineTitle: 'Luego llame a la línea de ayuda',
  hotlineCall: 'Llame',
  hotlineText: 'Mensaje de texto',
  hotlineWeb: 'En línea',
  hotlineAlways: 'Abierta las 24 horas, en más de 200 idiomas.',
  verifiedOn: 'Número verificado el {date}.',
  agencyLines: 'Comuníquese con {agency}',
  signsTitle: 'Señales de alerta',
  signsIntro: 'Una sola señal no prueba nada; varias juntas merecen una llamada.',
  redFlags: {
    unaware_of_location: 'La persona no sabe dónde está.',
    id_held_by_other: 'Otra persona tiene su identificación o su pasaporte.',
    cannot_speak_freely: 'No puede hablar por sí misma, o alguien la vigila.',
    quota_or_pimp_talk: 'Habla de una cuota, de un “padrote” o de un “papi”.',
    branding_tattoo: 'Tiene un tatuaje que parece una marca o un nombre.',
    fearful_submissive: 'Parece tener miedo, estar nerviosa o sometida.',
    lot_drop_off:
      'Un vehículo deja personas en el estacionamiento de camiones; van de camión en camión y luego las recogen.',
    minor_offered: 'Se ofrece a un menor para tener sexo.',
    other: 'Otra cosa que no parece normal.',
  },
  whatToDoTitle: 'Qué hacer',
  whatToDo: [
    'Si alguien corre peligro inmediato, llame al 911.',
    'Llame o envíe un mensaje a la línea de ayuda, o envíe un aviso aquí abajo.',
    'Avise al gerente de la parada de camiones.',
    'No se acerque a nadie ni lo confronte.',
    'Anote la marca, el modelo, el color y la placa del vehículo, cómo son las personas, y la fecha, la hora y el lugar. Tome fotos solo si es seguro.',
  ],
  numbersTitle: 'Las cifras',
  source: 'Fuente',
  tipTitle: 'Envíe un aviso a {agency}',
  tipIntro:
    'No necesita dar su nombre. Todos los campos son opcionales: cuéntenos lo que pueda, al menos qué vio o qué pasó.',
  tipNeverContact:
    '{agency} nunca lo llamará ni le escribirá, salvo que usted deje un contacto y diga que es seguro.',
  seenLegend: '¿Qué vio?',
  whereLegend: '¿Dónde?',
  wherePlace: 'Un lugar que conocemos',
  wherePlaceNone: 'Elija un lugar',
  whereText: 'O describa el lugar',
  whereTextHint: 'Por ejemplo: la parada de camiones de la salida 12 de la I-70, lado oeste.',
  nearMe: 'Usar mi ubicación actual',
  nearMeDone: 'Su ubicación se enviará con el aviso.',
  nearMeFailed: 'No se pudo obtener su ubicación; describa el lugar.',
  whenLabel: '¿Cuándo?',
  whenDate: 'Fecha',
  whenTime: 'Hora',
  vehiclesLegend: 'Vehículos',
  vehicle: 'Vehículo {n}',
  plate: 'Placa',
  plateState: 'Estado o provincia',
  vehicleDescription: 'Marca, modelo, color',
  vehicleDescriptionHint: 'Por ejemplo: camioneta Ford blanca, abollada en la puerta trasera.',
  peopleLabel: 'Las personas',
  peopleHint: 'Cuántas eran, cómo eran, qué ropa llevaban. No hacen falta nombres.',
  narrativeLabel: '¿Qué pasó?',
  narrativeHint: 'Con sus propias palabras.',
  contactLegend: '¿Podemos comunicarnos con usted?',
  contactLabel: 'Un teléfono o un correo electrónico',
  contactHint: 'Déjelo vacío para seguir en el anonimato.',
  contactSafeLabel: '¿Es seguro comunicarnos con usted por ese medio?',
  contactSafe: { yes: 'Sí', no: 'No', unsure: 'No estoy seguro' },
  honeypot: 'Deje este campo vacío',
  send: 'Enviar el aviso',
  optional: 'opcional',
  errorsTitle: 'Revise el formulario',
  errors: {
    tooLong: 'es demasiado largo (como máximo {max} caracteres)',
    required: 'cuéntenos qué pasó',
    empty: 'el aviso está vacío: cuéntenos qué vio o qué pasó',
    invalid: 'no es válido',
    tooFast:
      'El formulario se envió demasiado rápido. Revíselo y envíelo de nuevo; no se perdió nada.',
    expired:
      'El formulario estuvo abierto demasiado tiempo. Revíselo y envíelo de nuevo; no se perdió nada.',
    honeypot: 'No se pudo enviar el formulario. Envíelo de nuevo.',
    rateLimited:
      'Se enviaron demasiados avisos desde aquí. Espere unos minutos e inténtelo de nuevo, o llame a la línea de ayuda.',
    notFound: 'Ningún aviso corresponde a ese recibo y esa clave.',
  },
  thanksTitle: 'Gracias. Recibimos su aviso.',
  thanks:
    '{agency} tiene su aviso. Con este recibo puede consultar su estado y agregar información más tarde.',
  receiptLabel: 'Recibo',
  secretLabel: 'Clave',
  receiptKeep:
    'Anote ambos o tómeles una foto. No comparta la clave: quien tenga los dos puede ver el estado del aviso y agregarle información.',
  followUpLink: 'Consultar un aviso que envió',
  followUpTitle: 'Consultar un aviso',
  followUpIntro: 'Escriba el recibo y la clave que recibió al enviar el aviso.',
  followUpShow: 'Ver el estado del aviso',
  statusTitle: 'Estado del aviso {receipt}',
  statuses: {
    new: 'Recibido',
    in_review: 'En revisión',
    referred: 'Remitido',
    closed: 'Cerrado',
  },
  statusExplained: {
    new: 'Su aviso fue recibido y espera ser leído.',
    in_review: 'Alguien de {agency} está revisando su aviso.',
    referred: 'Su aviso fue remitido a quienes pueden actuar.',
    closed: 'La revisión de su aviso terminó.',
  },
  receivedOn: 'Recibido el {date}.',
  addTitle: 'Agregar información',
  addLabel: '¿Qué más debemos saber?',
  addSend: 'Agregarlo al aviso',
  added: 'Gracias: su información se agregó al aviso.',
  backToPage: 'Volver a la página',
  language: 'Idioma',
  privacy:
    'Esta página no usa cookies de seguimiento ni carga nada de terceros. Su dirección en internet no se guarda con su aviso.',
  scanPrompt: 'Escanee para conocer las señales o enviar un aviso, de forma anónima si lo desea:',
};

const fr: PublicMessages = {
  pageTitle: 'Traite des personnes : reconnaître les signes, appeler',
  intro:
    'Si vous, ou quelqu’un que vous connaissez, êtes forcé de travailler ou de vendre des services sexuels, il existe une issue. L’aide est gratuite, confidentielle et disponible jour et nuit.',
  emergencyTitle: 'Quelqu’un est en danger en ce moment ?',
  emergency: 'Appelez d’abord le 911.',
  hotlineTitle: 'Puis appelez la ligne d’urgence',
  hotlineCall: 'Appelez',
  hotlineText: 'Texto',
  hotlineWeb: 'En ligne',
  hotlineAlways: 'Ouverte 24 heures sur 24, dans plus de 200 langues.',
  verifiedOn: 'Numéro vérifié le {date}.',
  agencyLines: 'Joindre {agency}',
  signsTitle: 'Les signes à repérer',
  signsIntro: 'Un signe seul ne prouve rien ; plusieurs ensemble valent un appel.',
  redFlags: {
    unaware_of_location: 'La personne ne sait pas où elle se trouve.',
    id_held_by_other: 'Quelqu’un d’autre garde ses papiers d’identité ou son passeport.',
    cannot_speak_freely: 'Elle ne peut pas parler pour elle-même, ou quelqu’un la surveille.',
    quota_or_pimp_talk: 'Elle parle d’un quota, d’un « proxénète » ou d’un « daddy ».',
    branding_tattoo: 'Elle porte un tatouage qui ressemble à une marque ou à un nom.',
    fearful_submissive: 'Elle semble avoir peur, être nerveuse ou soumise.',
    lot_drop_off:
      'Un véhicule dépose des personnes sur le stationnement des camions ; elles vont de camion en camion et sont reprises plus tard.',
    minor_offered: 'Un mineur est proposé pour des services sexuels.',
    other: 'Autre chose qui ne semble pas normal.',
  },
  whatToDoTitle: 'Que faire',
  whatToDo: [
    'Si quelqu’un est en danger immédiat, appelez le 911.',
    'Appelez la ligne d’urgence ou écrivez-lui, ou envoyez un signalement ci-dessous.',
    'Prévenez le gérant du relais routier.',
    'N’abordez personne et ne confrontez personne.',
    'Notez la marque, le modèle, la couleur et la plaque du véhicule, l’apparence des personnes, ainsi que la date, l’heure et le lieu. Ne prenez de photos que si c’est sans danger.',
  ],
  numbersTitle: 'Les chiffres',
  source: 'Source',
  tipTitle: 'Envoyer un signalement à {agency}',
  tipIntro:
    'Vous n’avez pas à donner votre nom. Tous les champs sont facultatifs : dites-nous ce que vous pouvez, au moins ce que vous avez vu ou ce qui s’est passé.',
  tipNeverContact:
    '{agency} ne vous appellera, ne vous écrira et ne vous enverra jamais de courriel, sauf si vous laissez un moyen de vous joindre et indiquez que c’est sans danger.',
  seenLegend: 'Qu’avez-vous vu ?',
  whereLegend: 'Où ?',
  wherePlace: 'Un lieu que nous connaissons',
  wherePlaceNone: 'Choisissez un lieu',
  whereText: 'Ou décrivez le lieu',
  whereTextHint: 'Par exemple : le relais routier de la sortie 12 de la I-70, côté ouest.',
  nearMe: 'Utiliser ma position actuelle',
  nearMeDone: 'Votre position sera envoyée avec le signalement.',
  nearMeFailed: 'Votre position n’a pas pu être trouvée ; décrivez plutôt le lieu.',
  whenLabel: 'Quand ?',
  whenDate: 'Date',
  whenTime: 'Heure',
  vehiclesLegend: 'Véhicules',
  vehicle: 'Véhicule {n}',
  plate: 'Plaque',
  plateState: 'État ou province',
  vehicleDescription: 'Marque, modèle, couleur',
  vehicleDescriptionHint: 'Par exemple : fourgonnette Ford blanche, bosse sur la porte arrière.',
  peopleLabel: 'Les personnes',
  peopleHint: 'Combien, à quoi elles ressemblaient, ce qu’elles portaient. Pas besoin de noms.',
  narrativeLabel: 'Que s’est-il passé ?',
  narrativeHint: 'Avec vos propres mots.',
  contactLegend: 'Pouvons-nous vous joindre ?',
  contactLabel: 'Un numéro de téléphone ou une adresse courriel',
  contactHint: 'Laissez vide pour rester anonyme.',
  contactSafeLabel: 'Est-il sans danger de vous joindre à cet endroit ?',
  contactSafe: { yes: 'Oui', no: 'Non', unsure: 'Je ne sais pas' },
  honeypot: 'Laissez ce champ vide',
  send: 'Envoyer le signalement',
  optional: 'facultatif',
  errorsTitle: 'Veuillez vérifier le formulaire',
  errors: {
    tooLong: 'est trop long ({max} caractères au plus)',
    required: 'dites-nous ce qui s’est passé',
    empty: 'le signalement est vide : dites-nous ce que vous avez vu ou ce qui s’est passé',
    invalid: 'n’est pas valide',
    tooFast:
      'Le formulaire a été envoyé trop vite. Vérifiez-le et envoyez-le de nouveau ; rien n’a été perdu.',
    expired:
      'Le formulaire est resté ouvert trop longtemps. Vérifiez-le et envoyez-le de nouveau ; rien n’a été perdu.',
    honeypot: 'Le formulaire n’a pas pu être envoyé. Envoyez-le de nouveau.',
    rateLimited:
      'Trop de signalements ont été envoyés d’ici à l’instant. Attendez quelques minutes et réessayez, ou appelez la ligne d’urgence.',
    notFound: 'Aucun signalement ne correspond à ce reçu et à ce code secret.',
  },
  thanksTitle: 'Merci. Votre signalement a été reçu.',
  thanks:
    '{agency} a reçu votre signalement. Avec ce reçu, vous pourrez en suivre l’état et le compléter plus tard.',
  receiptLabel: 'Reçu',
  secretLabel: 'Code secret',
  receiptKeep:
    'Notez-les tous les deux ou prenez-les en photo. Gardez le code secret pour vous : quiconque possède les deux peut voir l’état du signalement et le compléter.',
  followUpLink: 'Suivre un signalement envoyé',
  followUpTitle: 'Suivre un signalement',
  followUpIntro: 'Entrez le reçu et le code secret reçus lors de l’envoi du signalement.',
  followUpShow: 'Voir l’état du signalement',
  statusTitle: 'État du signalement {receipt}',
  statuses: {
    new: 'Reçu',
    in_review: 'En cours d’examen',
    referred: 'Transmis',
    closed: 'Clos',
  },
  statusExplained: {
    new: 'Votre signalement a été reçu et attend d’être lu.',
    in_review: 'Une personne de {agency} examine votre signalement.',
    referred: 'Votre signalement a été transmis à ceux qui peuvent agir.',
    closed: 'L’examen de votre signalement est terminé.',
  },
  receivedOn: 'Reçu le {date}.',
  addTitle: 'Ajouter des informations',
  addLabel: 'Que devrions-nous savoir d’autre ?',
  addSend: 'L’ajouter au signalement',
  added: 'Merci : vos informations ont été ajoutées au signalement.',
  backToPage: 'Retour à la page',
  language: 'Langue',
  privacy:
    'Cette page ne dépose aucun témoin de suivi et ne charge rien d’ailleurs. Votre adresse Internet n’est pas conservée avec votre signalement.',
  scanPrompt:
    'Scannez pour connaître les signes ou envoyer un signalement, anonymement si vous le souhaitez :',
};

export const publicMessages: Record<PublicLanguage, PublicMessages> = { en, es, fr };

/** A message with its `{holes}` filled. */
export function fill(message: string, values: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}

/**
 * The language to answer in: the one asked for in the address, else the one remembered, else
 * the best of `Accept-Language` that the pages speak, else English.
 */
export function chooseLanguage(
  asked: string | undefined,
  remembered: string | undefined,
  acceptLanguage: string | undefined,
): PublicLanguage {
  const known = (value: string | undefined): value is PublicLanguage =>
    (publicLanguages as readonly string[]).includes(value ?? '');
  if (known(asked)) return asked;
  if (known(remembered)) return remembered;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return {
        language: tag.trim().toLowerCase().split('-')[0],
        q: Number.isFinite(q) ? q : 0,
        index,
      };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.language).find(known) ?? 'en';
}

/**
 * The reference statistics a public page may show, in the languages beyond English (whose
 * sentence is the series' own). `{value}` and `{period}` as in the series' template.
 */
export const statisticSentences: Record<string, Record<Exclude<PublicLanguage, 'en'>, string>> = {
  'bjs.federal.referred': {
    es: '{value} personas fueron remitidas a fiscales federales de EE. UU. por delitos de trata de personas en {period}',
    fr: '{value} personnes ont été déférées aux procureurs fédéraux des États-Unis pour des infractions de traite de personnes au cours de {period}',
  },
  'nhth.missouri.cases': {
    es: 'la línea de ayuda identificó {value} casos de trata de personas en Misuri en {period}',
    fr: 'la ligne d’urgence a relevé {value} cas de traite de personnes au Missouri au cours de {period}',
  },
  'nhth.missouri.signals': {
    es: 'la línea de ayuda recibió {value} contactos desde Misuri en {period}',
    fr: 'la ligne d’urgence a reçu {value} appels, textos et messages du Missouri au cours de {period}',
  },
};

const monthNames: Record<Exclude<PublicLanguage, 'en'>, string[]> = {
  es: [
    'enero',
    'febrero',
    'marzo',
    'abril',
    'mayo',
    'junio',
    'julio',
    'agosto',
    'septiembre',
    'octubre',
    'noviembre',
    'diciembre',
  ],
  fr: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
};

/** A statistic's period in words, in Spanish or French (English has describePeriod). */
export function describePeriodIn(
  language: Exclude<PublicLanguage, 'en'>,
  period: { kind: string; label: string },
): string {
  if (period.kind === 'calendar_year')
    return language === 'fr' ? `l’année ${period.label}` : period.label;
  if (period.kind === 'fiscal_year') {
    const year = period.label.slice(2);
    return language === 'fr' ? `l’exercice ${year}` : `el año fiscal ${year}`;
  }
  const [from = '', to = ''] = period.label.split('..');
  const words = (text: string) => {
    const [y, m] = text.split('-').map(Number);
    const month = monthNames[language][(m ?? 1) - 1];
    return language === 'fr' ? `${month} ${y}` : `${month} de ${y}`;
  };
  return language === 'fr'
    ? `la période de ${words(from)} à ${words(to)}`
    : `el periodo de ${words(from)} a ${words(to)}`;
}
