module example.com/slipway/go-app

go 1.19
