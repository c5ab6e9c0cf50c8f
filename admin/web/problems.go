package web

import (
	"github.com/triggerwidget/triggerwidget/widget"
)

// problemText is a trigger-set problem as a person reads it in lang: the
// validator's own message in English; in French, the meaning of its code
// (the English message names limits and values precisely, so it follows
// in brackets when the French is generic).
func problemText(lang string, p widget.FieldError) string {
	if lang != "fr" {
		return p.Problem
	}
	if f, ok := frenchCodes[p.Code]; ok {
		return f + " (" + p.Problem + ")"
	}
	return p.Problem
}

// frenchCodes says what each validator code means, in French.
var frenchCodes = map[string]string{
	widget.CodeNotJSON:         "valeur d'un type inattendu",
	widget.CodeTooLarge:        "trop volumineux",
	widget.CodeBadVersion:      "version de format inconnue",
	widget.CodeUnknownKey:      "champ inconnu",
	widget.CodeDuplicateKey:    "champ donné deux fois",
	widget.CodeUnknownTimezone: "fuseau horaire inconnu",
	widget.CodeMissing:         "obligatoire",
	widget.CodeBadID:           "identifiant invalide : 1 à 64 lettres, chiffres, « - », « _ » ou « . »",
	widget.CodeDuplicateID:     "identifiant déjà utilisé",
	widget.CodeTooManyTriggers: "trop de déclencheurs (20 au plus)",
	widget.CodeTooMany:         "trop d'éléments",
	widget.CodeTooLong:         "trop long",
	widget.CodeOutOfRange:      "valeur hors limites",
	widget.CodeUnknownValue:    "valeur non prévue",
	widget.CodeUnknownField:    "champ de condition inconnu",
	widget.CodeUnknownOperator: "opérateur inconnu",
	widget.CodeWrongType:       "opérateur ou valeur d'un type qui ne convient pas",
	widget.CodeBadRegex:        "expression régulière invalide",
	widget.CodeBadURL:          "URL non autorisée",
	widget.CodeBadTimezone:     "nom de fuseau horaire mal formé",
	widget.CodeNotAllowed:      "ne s'applique pas à ce type de déclencheur",
	widget.CodeConflict:        "incompatible avec un autre champ",
	widget.CodeUnknownShortcut: "raccourci inexistant",
	widget.CodeInvalidShortcut: "ce raccourci a lui-même des erreurs",
	widget.CodeBadText:         "texte invalide (UTF-8)",
	widget.CodeBadColor:        "couleur invalide : « #rrggbb » ou « #rgb »",
}
