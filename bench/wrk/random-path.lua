-- Sends GET requests to paths drawn at random from a file (one path a line),
-- so that no cache is flattered by repeating the same request. When the
-- environment holds BENCH_TOKEN, every request carries it as a bearer token
-- (the bare reference ignores it).
local paths = {}
local headers = {}

function init(args)
  math.randomseed(os.time())
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  local token = os.getenv("BENCH_TOKEN")
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
