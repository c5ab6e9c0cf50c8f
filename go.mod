module github.com/triggerwidget/triggerwidget

go 1.26.8

require (
	github.com/andybalholm/brotli v1.2.8
	github.com/hack-pad/safejs v0.1.0
	github.com/mailru/easyjson v0.9.2
)

require github.com/josharian/intern v1.0.0 // indirect

tool github.com/mailru/easyjson/easyjson
