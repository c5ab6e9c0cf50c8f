package web

// French texts of the Widget page's Appearance form and its Preview.
func init() {
	registerFrench(map[string]string{
		"Appearance": "Apparence",
		"How the widget looks on your website and which language its own texts are in. Saving publishes a new version of the trigger set: visitors get it at once.": "L'aspect du widget sur votre site et la langue de ses propres textes. Enregistrer publie une nouvelle version du jeu de déclencheurs : les visiteurs la reçoivent aussitôt.",
		"Subtitle": "Sous-titre",
		"Heads the open panel. Left empty, the widget shows its default title, in its own language.": "En tête du panneau ouvert. Laissé vide, le widget affiche son titre par défaut, dans sa propre langue.",
		"A line under the title, for example “We answer within minutes”. Optional.":                  "Une ligne sous le titre, par exemple « Nous répondons en quelques minutes ». Facultatif.",
		"Accent color": "Couleur d'accent",
		"Color picker": "Sélecteur de couleur",
		"The launcher, the header and the visitor's messages, as #rrggbb. The text on it is white or black, whichever is easier to read.": "Le bouton d'ouverture, l'en-tête et les messages du visiteur, au format #rrggbb. Le texte posé dessus est blanc ou noir, selon ce qui se lit le mieux.",
		"Position": "Position",
		"Right":    "À droite",
		"Left":     "À gauche",
		"Offset":   "Décalage",
		"Distance in pixels from the side and the bottom of the page.": "Distance en pixels depuis le côté et le bas de la page.",
		"Automatic (visitor's browser)":                                "Automatique (navigateur du visiteur)",
		"The language of the widget's own texts (buttons, placeholders, times). Your messages stay as you wrote them. Arabic lays the widget out right to left.": "La langue des textes propres au widget (boutons, textes d'exemple, heures). Vos messages restent tels que vous les avez écrits. En arabe, le widget s'affiche de droite à gauche.",
		"Launcher":  "Bouton d'ouverture",
		"Bubble":    "Bulle",
		"Tab":       "Onglet",
		"Tab label": "Texte de l'onglet",
		"The tab's text. A bubble has no text, but screen readers announce it by this label.": "Le texte de l'onglet. Une bulle n'a pas de texte, mais les lecteurs d'écran l'annoncent avec celui-ci.",
		"Play a sound for new messages":                                   "Jouer un son pour les nouveaux messages",
		"A short tone when a message arrives while the widget is closed.": "Un bref signal quand un message arrive alors que le widget est fermé.",
		"Save appearance": "Enregistrer l'apparence",
		"The widget as a visitor sees it, with a sample message, drawn by the widget itself. It follows what you type; nothing is published until you save.": "Le widget tel qu'un visiteur le voit, avec un message d'exemple, dessiné par le widget lui-même. Il suit ce que vous tapez ; rien n'est publié avant l'enregistrement.",
		"Saved: nothing changed.":                                    "Enregistré : rien n'a changé.",
		"Saved: the widget's appearance is published as version %d.": "Enregistré : l'apparence du widget est publiée en version %d.",
		"Someone published a new version since you opened this page. What you typed is still below: save again to publish it over theirs.": "Quelqu'un a publié une nouvelle version depuis l'ouverture de cette page. Ce que vous avez tapé est toujours ci-dessous : enregistrez de nouveau pour le publier à la place.",
		"Hello! Can we help you find what you are looking for?":                                                                            "Bonjour ! Pouvons-nous vous aider à trouver ce que vous cherchez ?",
		"Yes, please":  "Oui, volontiers",
		"Just looking": "Je regarde seulement",
	})
}
