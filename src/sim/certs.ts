// Two fixed self-signed certificates for 127.0.0.1 (and localhost), made once with the openssl CLI so that
// nothing runs openssl at runtime. Two distinct ones let a test restart the simulator on the same port with the
// other certificate and check that a client pinned to the first one refuses the second.
// They protect nothing: the keys are public on purpose and only ever serve a loopback test server.

export interface SimCertificate {
  readonly cert: string;
  readonly key: string;
}

export const certificates: Record<'a' | 'b', SimCertificate> = {
  a: {
    cert: `-----BEGIN CERTIFICATE-----
MIIB1zCCAX2gAwIBAgIULn0vgsdV8PkPdd4L/FOPm7EujogwCgYIKoZIzj0EAwIw
MjESMBAGA1UEAwwJMTI3LjAuMC4xMRwwGgYDVQQKDBNQcm94Ym94IHNpbXVsYXRv
ciBhMCAXDTI2MTEyMzEzNDQwMFoYDzIxMjYxMDMwMTM0NDAwWjAyMRIwEAYDVQQD
DAkxMjcuMC4wLjExHDAaBgNVBAoME1Byb3hib3ggc2ltdWxhdG9yIGEwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAATNgzvPm/uGpvGNV82KkDgj3ZIE/IuGCqHA0YUb
lEZTK/bGUKo0v114s53mY3TZkKAUpPrB4jS+WCngaI6gKwpKo28wbTAdBgNVHQ4E
FgQU3D2qijX2iUApCrvjbFA4x7wjIZAwHwYDVR0jBBgwFoAU3D2qijX2iUApCrvj
bFA4x7wjIZAwDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2Nh
bGhvc3QwCgYIKoZIzj0EAwIDSAAwRQIhAPtf8DnI0PDevfvutYlyYh8xoPddBVER
B+86UXUZjm5LAiBRgz2vuNOgLByoblc1dLLQZw2z7hx37lATi9+6rpEDFw==
-----END CERTIFICATE-----\n`,
    key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgO+OI3a/ZsENVY/Gf
VkqEk1JFB1abhkTm+kMiuJRaoumhRANCAATNgzvPm/uGpvGNV82KkDgj3ZIE/IuG
CqHA0YUblEZTK/bGUKo0v114s53mY3TZkKAUpPrB4jS+WCngaI6gKwpK
-----END PRIVATE KEY-----\n`,
  },
  b: {
    cert: `-----BEGIN CERTIFICATE-----
MIIB1jCCAX2gAwIBAgIUZNiusBUzxA10WLJv8P8tSUZ5wPgwCgYIKoZIzj0EAwIw
MjESMBAGA1UEAwwJMTI3LjAuMC4xMRwwGgYDVQQKDBNQcm94Ym94IHNpbXVsYXRv
ciBiMCAXDTI2MTEyMzEzNDQwMFoYDzIxMjYxMDMwMTM0NDAwWjAyMRIwEAYDVQQD
DAkxMjcuMC4wLjExHDAaBgNVBAoME1Byb3hib3ggc2ltdWxhdG9yIGIwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQ3oFBONuqwlhkCWeqFELC+o1Od/7PTfe/zT56S
Qzj+eQGKv1Mnqz4VRgi1s2F/wZ+IF1rC3WA97nds2Txo286Vo28wbTAdBgNVHQ4E
FgQUd8hrtzsKAfhn2GZBg/XArnYCtNcwHwYDVR0jBBgwFoAUd8hrtzsKAfhn2GZB
g/XArnYCtNcwDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2Nh
bGhvc3QwCgYIKoZIzj0EAwIDRwAwRAIgHOOKNEeeS8mkGth+obGGCA0+cP//UeNG
oXDJWbZwrwgCIAfgVK8/470MAwL7JiuAllkQZQTIV8EVGliuUL08dol/
-----END CERTIFICATE-----\n`,
    key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZXgNu6ekvRBNRxzC
JWBDMk1rtpxc//OoULaHU9YaFZShRANCAAQ3oFBONuqwlhkCWeqFELC+o1Od/7PT
fe/zT56SQzj+eQGKv1Mnqz4VRgi1s2F/wZ+IF1rC3WA97nds2Txo286V
-----END PRIVATE KEY-----\n`,
  },
};
