-- Sends GET requests to paths drawn at random from a file (one path a line),
-- so that no cache is flattered by repeating the same request.
local paths = {}

function init(args)
  math.randomseed(os.time())
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
