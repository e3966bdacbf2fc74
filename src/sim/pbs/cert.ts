// The simulated Proxmox Backup Server's own self-signed certificate for 127.0.0.1 (and localhost), made once with
// the openssl CLI like the PVE simulator's two (src/sim/certs.ts): a PBS has its own certificate, so a client pinned
// to the PVE fingerprint must refuse it. It protects nothing: the key is public on purpose and only ever serves a
// loopback test server.
import type { SimCertificate } from '../certs';

export const pbsCertificate: SimCertificate = {
  cert: `-----BEGIN CERTIFICATE-----
MIIB3DCCAYGgAwIBAgIUdvFJklEU3Y/SxSt4kaNFyHr5TJcwCgYIKoZIzj0EAwIw
NDESMBAGA1UEAwwJMTI3LjAuMC4xMR4wHAYDVQQKDBVQcm94Ym94IHNpbXVsYXRl
ZCBQQlMwIBcNMjYxMTMwMTU0NzM0WhgPMjEyNjExMDYxNTQ3MzRaMDQxEjAQBgNV
BAMMCTEyNy4wLjAuMTEeMBwGA1UECgwVUHJveGJveCBzaW11bGF0ZWQgUEJTMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeV2W5bmoT5yCxwKMYTa40UEz2+w85/Mb
KBCAlDZLDkeCLN5lBKxkZD9Mv4EFVi1YILMYWB6q8d66NpiBXYkGHaNvMG0wHQYD
VR0OBBYEFG1PEJTyypLkbMHYxZho9M9FcQ3JMB8GA1UdIwQYMBaAFG1PEJTyypLk
bMHYxZho9M9FcQ3JMA8GA1UdEwEB/wQFMAMBAf8wGgYDVR0RBBMwEYcEfwAAAYIJ
bG9jYWxob3N0MAoGCCqGSM49BAMCA0kAMEYCIQD0tqwUEEBDU7qr5do8GK29ng/h
NmEWmCwHCr4MdeOq3gIhALgFB+vSbpx2pPuFVi/Cb/xEQwa8WtTkKa/NY+nJ+ZxU
-----END CERTIFICATE-----
`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgN19E3uJN1AiojP2/
qa05DDFXj2rQxG4a+6MbN0oGj/KhRANCAAR5XZbluahPnILHAoxhNrjRQTPb7Dzn
8xsoEICUNksOR4Is3mUErGRkP0y/gQVWLVggsxhYHqrx3ro2mIFdiQYd
-----END PRIVATE KEY-----
`,
};
