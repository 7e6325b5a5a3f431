// A Slipway sample: answers GET / on $PORT (8080 on Slipway), standard library only.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "Hello from go-app on Slipway\n")
	})
	log.Printf("go-app listening on %s", port)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
