# A Ruby app with no gems of its own: WEBrick comes with the stack's runtime image (Debian's
# ruby-webrick). Slipway sets PORT; the Procfile starts it the Heroku way.
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
