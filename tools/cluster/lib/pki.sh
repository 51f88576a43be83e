# Sourced by up.sh: the cluster's own certificate authority, one client certificate per component
# (each with the identity Kubernetes' default RBAC expects of it), the API server's serving
# certificate and the service-account signing key. Made once per cluster directory, with openssl.

PKI_DIR="$CLUSTER_DIR/pki"

# new_cert NAME SUBJECT [SAN]: an EC P-256 key and a certificate signed by the cluster CA.
new_cert() {
  local name="$1" subject="$2" san="${3:-}" ext
  ext="$(mktemp)"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [[ -n "$san" ]]; then
      echo "extendedKeyUsage=serverAuth"
      echo "subjectAltName=$san"
    else
      echo "extendedKeyUsage=clientAuth"
    fi
  } >"$ext"
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI_DIR/$name.key" 2>/dev/null
  openssl req -new -key "$PKI_DIR/$name.key" -subj "$subject" -out "$PKI_DIR/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI_DIR/$name.csr" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" \
    -CAcreateserial -days 365 -extfile "$ext" -out "$PKI_DIR/$name.crt" 2>/dev/null
  rm -f "$ext" "$PKI_DIR/$name.csr"
}

# write_kubeconfig FILE CERT_NAME: a kubeconfig that authenticates with that client certificate.
write_kubeconfig() {
  local file="$1" name="$2"
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: discounts-local
    cluster:
      server: https://$NODE_IP:$APISERVER_PORT
      certificate-authority-data: $(base64 -w0 "$PKI_DIR/ca.crt")
users:
  - name: $name
    user:
      client-certificate-data: $(base64 -w0 "$PKI_DIR/$name.crt")
      client-key-data: $(base64 -w0 "$PKI_DIR/$name.key")
contexts:
  - name: discounts-local
    context: { cluster: discounts-local, user: $name }
current-context: discounts-local
EOF
  chmod 600 "$file"
}

# pki_front_proxy_ensure: the aggregation layer's own CA and the client certificate the API server
# presents when it forwards a request to an extension API server (metrics-server), which trusts
# the user headers only from a certificate of that CA with an allowed name (front-proxy-client).
# Kept apart from the cluster CA as Kubernetes advises, so no ordinary client certificate can
# pass as the proxy. Made when missing, also in a cluster directory older than it.
pki_front_proxy_ensure() {
  [[ -f "$PKI_DIR/front-proxy-client.crt" ]] && return 0
  local ext
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI_DIR/front-proxy-ca.key" 2>/dev/null
  openssl req -x509 -new -key "$PKI_DIR/front-proxy-ca.key" -subj "/CN=discounts-local-front-proxy-ca" \
    -days 365 -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$PKI_DIR/front-proxy-ca.crt" 2>/dev/null
  ext="$(mktemp)"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=clientAuth" >"$ext"
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI_DIR/front-proxy-client.key" 2>/dev/null
  openssl req -new -key "$PKI_DIR/front-proxy-client.key" -subj "/CN=front-proxy-client" \
    -out "$PKI_DIR/front-proxy-client.csr" 2>/dev/null
  # The certificate last: its presence is what marks this step done.
  openssl x509 -req -in "$PKI_DIR/front-proxy-client.csr" -CA "$PKI_DIR/front-proxy-ca.crt" \
    -CAkey "$PKI_DIR/front-proxy-ca.key" -CAcreateserial -days 365 -extfile "$ext" \
    -out "$PKI_DIR/front-proxy-client.crt" 2>/dev/null
  rm -f "$ext" "$PKI_DIR/front-proxy-client.csr"
}

pki_ensure() {
  if [[ -f "$PKI_DIR/complete" ]]; then
    pki_front_proxy_ensure
    return 0
  fi
  rm -rf "$PKI_DIR"
  mkdir -p "$PKI_DIR"
  chmod 700 "$PKI_DIR"
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI_DIR/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$PKI_DIR/ca.key" -subj "/CN=discounts-local-ca" -days 365 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$PKI_DIR/ca.crt" 2>/dev/null

  new_cert apiserver "/CN=kube-apiserver" \
    "IP:$NODE_IP,IP:$KUBERNETES_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN"
  # Identities the default RBAC bindings name (system:masters, system:nodes, system:kube-*).
  new_cert admin "/O=system:masters/CN=discounts-admin"
  new_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  new_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
  new_cert kube-proxy "/CN=system:kube-proxy"
  new_cert controller-manager "/CN=system:kube-controller-manager"
  new_cert scheduler "/CN=system:kube-scheduler"
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI_DIR/service-account.key" 2>/dev/null
  openssl ec -in "$PKI_DIR/service-account.key" -pubout -out "$PKI_DIR/service-account.pub" 2>/dev/null

  local name
  for name in admin kubelet kube-proxy controller-manager scheduler; do
    write_kubeconfig "$PKI_DIR/$name.kubeconfig" "$name"
  done
  cp "$PKI_DIR/admin.kubeconfig" "$KUBECONFIG_FILE"
  pki_front_proxy_ensure
  touch "$PKI_DIR/complete"
}
