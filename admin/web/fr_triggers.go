package web

// The Triggers page's French texts. Words the trigger editor shows too
// (the types, delays, Enabled, Delete, Cancel, Save…) keep whichever
// French text the catalog already has, so the two pages agree.
func init() {
	m := map[string]string{
		"Add trigger": "Ajouter un déclencheur",
		"A property has at most 20 triggers. Delete one to add another.": "Une propriété a au plus 20 déclencheurs. Supprimez-en un pour en ajouter un autre.",
		"Reload":              "Recharger",
		"Delete 1 trigger?":   "Supprimer 1 déclencheur ?",
		"Delete %d triggers?": "Supprimer %d déclencheurs ?",
		"Delete triggers?":    "Supprimer des déclencheurs ?",
		"These triggers will be deleted and stop showing on your site. A version of the set before this change stays in History.": "Ces déclencheurs seront supprimés et ne s'afficheront plus sur votre site. Une version de l'ensemble d'avant ce changement reste dans l'Historique.",
		"Cancel": "Annuler",
		"Delete": "Supprimer",
		"Tick the triggers to delete, then press Delete.": "Cochez les déclencheurs à supprimer, puis appuyez sur Supprimer.",
		"When two triggers fire at the same moment, the one higher in this list shows its message first. Use the arrow buttons of a row to change the order.": "Quand deux déclencheurs se déclenchent au même moment, celui placé plus haut dans cette liste affiche son message en premier. Utilisez les flèches d'une ligne pour changer l'ordre.",
		"You can also drag a row by its handle.":                                                 "Vous pouvez aussi faire glisser une ligne par sa poignée.",
		"Moved “%s” to position %d of %d.":                                                       "« %s » déplacé en position %d sur %d.",
		"No trigger is selected. Tick the box beside each trigger to delete, then press Delete.": "Aucun déclencheur n'est sélectionné. Cochez la case à côté de chaque déclencheur à supprimer, puis appuyez sur Supprimer.",
		"Saving…": "Enregistrement…",
		"The change could not be saved. Check your connection and try again.": "La modification n'a pas pu être enregistrée. Vérifiez votre connexion et réessayez.",
		"On":                  "Activé",
		"Off":                 "Désactivé",
		"Select all triggers": "Sélectionner tous les déclencheurs",
		"Order":               "Ordre",
		"Name":                "Nom",
		"Type":                "Type",
		"Delay":               "Délai",
		"Enabled":             "Activé",
		"Actions":             "Actions",
		"Select %s":           "Sélectionner %s",
		"Drag to reorder":     "Faire glisser pour réordonner",
		"Save":                "Enregistrer",
		"Duplicate":           "Dupliquer",
		"Move %s up":          "Monter %s",
		"Move %s down":        "Descendre %s",
		"Move up":             "Monter",
		"Move down":           "Descendre",
		"Start the conversation at the right moment": "Engagez la conversation au bon moment",
		"A trigger shows a message in your chat widget when a visitor does something: lands on your site, opens a given page, waits too long for an answer, or opens the widget.": "Un déclencheur affiche un message dans votre widget de discussion quand un visiteur fait quelque chose : il arrive sur votre site, ouvre une page donnée, attend trop longtemps une réponse ou ouvre le widget.",
		"A friendly welcome a few seconds after a visitor arrives is a good first one. You can add up to 20 triggers and turn each on or off at any time.":                        "Un accueil chaleureux quelques secondes après l'arrivée d'un visiteur est un bon premier déclencheur. Vous pouvez en ajouter jusqu'à 20 et activer ou désactiver chacun à tout moment.",
		"Add your first trigger":  "Ajouter votre premier déclencheur",
		"1 condition":             "1 condition",
		"%d conditions":           "%d conditions",
		"Shortcut: %s":            "Raccourci : %s",
		"Site notification":       "Notification de site",
		"Page notification":       "Notification de page",
		"Chat rescue":             "Sauvetage de discussion",
		"Widget maximized":        "Widget agrandi",
		"Advanced":                "Avancé",
		"On a page view":          "À chaque page vue",
		"When the widget loads":   "Au chargement du widget",
		"When a chat starts":      "Au début d'une discussion",
		"On a visitor message":    "À chaque message du visiteur",
		"When the widget opens":   "À l'ouverture du widget",
		"On a custom event":       "Sur un événement personnalisé",
		"URL is":                  "URL égale à",
		"URL contains":            "URL contenant",
		"URL starts with":         "URL commençant par",
		"URL matches":             "URL correspondant à",
		"URL matches the pattern": "URL correspondant à l'expression",
		"No delay":                "Sans délai",
		"1 hour":                  "1 heure",
		"1 minute":                "1 minute",
		"%d minutes":              "%d minutes",
		"1 second":                "1 seconde",
		"%d seconds":              "%d secondes",
		"Saved":                   "Enregistré",
		"Duplicated: the copy is “%s”, just below the original.": "Dupliqué : la copie est « %s », juste sous l'original.",
		"Deleted 1 trigger":   "1 déclencheur supprimé",
		"Deleted %d triggers": "%d déclencheurs supprimés",
		"Someone else changed these triggers since this page was loaded, so your change was not saved. Reload the page to see the latest version, then try again.": "Quelqu'un d'autre a modifié ces déclencheurs depuis le chargement de cette page : votre modification n'a pas été enregistrée. Rechargez la page pour voir la dernière version, puis réessayez.",
	}
	frMu.RLock()
	for en := range m {
		if _, ok := fr[en]; ok {
			delete(m, en)
		}
	}
	frMu.RUnlock()
	registerFrench(m)
}
