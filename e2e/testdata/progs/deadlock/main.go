// Deadlocks: receives from a channel nobody sends on.
package main

import "fmt"

func main() {
	fmt.Println("waiting forever")
	ch := make(chan int)
	<-ch
}
