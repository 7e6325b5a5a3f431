module example.com/goapp

go 1.21

require golang.org/x/net v0.17.0

require (
	github.com/google/uuid v1.6.0
	golang.org/x/text v0.13.0 // indirect
)

replace example.com/unused => ../unused
