-- wrk script for bench_receiver: POSTs pre-signed CDR pushes, each with its own nonce and record
-- id. Every wrk thread reads its own file (requests.<n>), so no nonce is sent twice, and builds
-- all its requests in init(), before the timed run. When a thread runs out it starts over; the
-- repeats carry the same header and body, which a verifying receiver takes for the platform's
-- re-pushes and deduplicates: they show up as duplicates in the receiver's counters.
--   wrk ... -s bench_receiver.lua URL -- DIR
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  local dir = args[1]
  local file = assert(io.open(dir .. "/template", "rb"))
  local template = file:read("*a")
  file:close()
  requests = {}
  for line in io.lines(dir .. "/requests." .. thread_index) do
    local token, id = line:match("^([^\t]*)\t(.*)$")
    requests[#requests + 1] = string.format(template, token, id, id)
  end
  position = 0
end

function request()
  position = position % #requests + 1
  return requests[position]
end
