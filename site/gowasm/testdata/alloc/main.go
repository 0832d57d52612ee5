// Command alloc allocates memory until it fails, as the compiler does with a program that
// doubles a string constant thirty times. gowasm's tests run it under the memory cap; should the
// cap not hold, it stops at 4 GB and says so, rather than take the machine's memory.
package main

import "fmt"

func main() {
	var keep [][]byte
	for len(keep) < 128 {
		b := make([]byte, 32<<20)
		for j := 0; j < len(b); j += 4096 { // touch every page: the memory is really used
			b[j] = byte(j)
		}
		keep = append(keep, b)
	}
	fmt.Println("allocated", len(keep)*32, "MB without failing")
}
