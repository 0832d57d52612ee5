module unblocked

go 1.26
