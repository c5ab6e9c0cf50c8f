package main

import (
	"fmt"
	"os"

	"github.com/triggerwidget/triggerwidget/internal/wasmsym"
)

func main() {
	b, _ := os.ReadFile(os.Args[1])
	f, _ := wasmsym.Funcs(b)
	for _, x := range f {
		fmt.Println(x.Size, x.Name)
	}
}
