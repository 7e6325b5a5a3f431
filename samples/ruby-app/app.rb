# A Ruby app whose one gem, WEBrick, comes with the stack's images (Debian's
# ruby-webrick), so nothing is downloaded. Slipway sets PORT; the Procfile starts it the Heroku way.
require "webrick"

server = WEBrick::HTTPServer.new(
  BindAddress: "0.0.0.0",
  Port: Integer(ENV.fetch("PORT", "8080")),
  AccessLog: [],
  Logger: WEBrick::Log.new($stderr, WEBrick::Log::WARN)
)
server.mount_proc("/") do |_request, response|
  response["Content-Type"] = "text/plain"
  response.body = "Hello from ruby-app on Slipway\n"
end
trap("TERM") { server.shutdown }
server.start
