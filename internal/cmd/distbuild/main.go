// Command distbuild writes the deployable widget to a directory (make build).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/triggerwidget/triggerwidget/internal/distbuild"
)

func main() {
	out := flag.String("out", "dist", "output directory (emptied first)")
	version := flag.String("version", "dev", "version stamped into widget.js")
	experiment := flag.Bool("goexperiment", false, "only print the GOEXPERIMENT the wasm is built with (the Makefile's wasm tests use it)")
	goflags := flag.Bool("goflags", false, "only print the GOFLAGS the wasm is built with (the Makefile's wasm tests use it)")
	flag.Parse()
	root, err := os.Getwd()
	if err == nil {
		root, err = distbuild.FindRoot(root)
	}
	if err == nil && *goflags {
		fmt.Println(distbuild.WasmGOFLAGS(root))
		return
	}
	if err == nil && *experiment {
		fmt.Println(distbuild.WasmExperiment(root))
		return
	}
	if err == nil {
		var res distbuild.Result
		res, err = distbuild.Build(distbuild.Options{Root: root, Out: *out, Version: *version})
		if err == nil {
			fmt.Printf("built %s/widget.js and %s/%s (%d bytes)\n", *out, *out, res.WasmName, res.WasmSize)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "distbuild:", err)
	os.Exit(1)
}
