// Panics after one line of output.
package main

import "fmt"

func main() {
	fmt.Println("about to panic")
	var m map[string]int
	m["boom"] = 1
}
