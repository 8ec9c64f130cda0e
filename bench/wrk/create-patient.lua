-- POSTs a small Patient (identifier, name, gender, birthDate, address) with a fresh identifier each time.
local counter = 0
local prefix = tostring(math.random(100000, 999999))

function request()
  counter = counter + 1
  local body = '{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"B' .. prefix .. counter .. '"}],' ..
    '"name":[{"family":"Bench","given":["Jean"]}],"gender":"male","birthDate":"1980-05-17",' ..
    '"address":[{"line":["1 rue Nationale"],"city":"Lille","postalCode":"59000","country":"FR"}]}'
  return wrk.format("POST", "/fhir/Patient", { ["Content-Type"] = "application/fhir+json", ["Prefer"] = "return=minimal" }, body)
end
