-- POSTs a small Patient (billing number, name, gender, birthDate, address)
-- with a fresh identifier each time; with BENCH_TOKEN set, as that bearer.
local counter = 0
local prefix = tostring(math.random(100000, 999999))
local headers = { ["Content-Type"] = "application/fhir+json", ["Prefer"] = "return=minimal" }

function init(args)
  local token = os.getenv("BENCH_TOKEN")
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
end

function request()
  counter = counter + 1
  local body = '{"resourceType":"Patient","identifier":[{"use":"secondary","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"NH"}]},"system":"urn:oid:1.2.250.1.213.1.4.8","value":"B' .. prefix .. counter .. '"}],' ..
    '"name":[{"family":"Bench","given":["Jean"]}],"gender":"male","birthDate":"1980-05-17",' ..
    '"address":[{"line":["1 rue Nationale"],"city":"Lille","postalCode":"59000","country":"FR"}]}'
  return wrk.format("POST", "/fhir/Patient", headers, body)
end
