{{/*
Names and labels, after podinfo's chart: Kubernetes names are at most 63 characters.
Per-app helpers take a context made by "discounts.app": (dict "root" $ "app" "generator").
*/}}

{{- define "discounts.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "discounts.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "discounts.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The apps this chart installs, in a fixed order. */}}
{{- define "discounts.apps" -}}
generator provider
{{- end }}

{{- define "discounts.labels" -}}
helm.sh/chart: {{ include "discounts.chart" . }}
app.kubernetes.io/name: {{ include "discounts.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: discounts
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "discounts.selectorLabels" -}}
app.kubernetes.io/name: {{ include "discounts.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
"<fullname>-<suffix>" within 63 characters: the full name is cut, never the suffix, so that the
names of the two apps' objects stay distinct. (dict "root" $ "suffix" "generator")
*/}}
{{- define "discounts.suffixedName" -}}
{{- $base := include "discounts.fullname" .root | trunc (int (sub 62 (len .suffix))) | trimSuffix "-" }}
{{- printf "%s-%s" $base .suffix }}
{{- end }}

{{/* Full name of one app's objects: "<fullname>-<app>". */}}
{{- define "discounts.app.fullname" -}}
{{- include "discounts.suffixedName" (dict "root" .root "suffix" .app) }}
{{- end }}

{{- define "discounts.app.labels" -}}
{{ include "discounts.labels" .root }}
app.kubernetes.io/component: {{ .app }}
{{- end }}

{{- define "discounts.app.selectorLabels" -}}
{{ include "discounts.selectorLabels" .root }}
app.kubernetes.io/component: {{ .app }}
{{- end }}

{{- define "discounts.app.serviceAccountName" -}}
{{- $sa := (index .root.Values .app).serviceAccount }}
{{- if $sa.create }}
{{- default (include "discounts.app.fullname" .) $sa.name }}
{{- else }}
{{- default "default" $sa.name }}
{{- end }}
{{- end }}

{{/*
Whether the apps get an admin port (ADMIN_PORT), with its admin Service: "true" or empty. Off only
with admin.exposeOnPublicPort, where the admin tokens work on the public port instead.
*/}}
{{- define "discounts.adminPortOn" -}}
{{- if not .Values.admin.exposeOnPublicPort }}true{{ end }}
{{- end }}

{{/* The admin Service of one app: "<fullname>-<app>-admin". */}}
{{- define "discounts.app.adminServiceName" -}}
{{- include "discounts.suffixedName" (dict "root" .root "suffix" (printf "%s-admin" .app)) }}
{{- end }}

{{/* Where the NATS NKey seed is mounted (secrets.natsNkeySeed), as NATS_NKEY_SEED_FILE. */}}
{{- define "discounts.natsNkeySeedDir" -}}
/etc/discounts/nats
{{- end }}
{{- define "discounts.natsNkeySeedFile" -}}
{{- include "discounts.natsNkeySeedDir" . }}/nkey.seed
{{- end }}

{{- define "discounts.app.image" -}}
{{- $image := (index .root.Values .app).image }}
{{- $ref := printf "%s:%s" $image.repository (default .root.Chart.AppVersion $image.tag) }}
{{- if $image.digest }}
{{- $ref = printf "%s@%s" $ref $image.digest }}
{{- end }}
{{- $ref }}
{{- end }}

{{/*
The public API as a JSON list of {path, type (Exact or Prefix), app}, shared by the Ingress and the
HTTPRoute; /health, /metrics and /docs stay inside the cluster. The provider's claims route,
/v1/brands/{brandId}/claims, is not in it: a prefix cannot skip the brand id, so each kind of
route spells it with its own pattern (ingress.claims, httpRoute.claims).
*/}}
{{- define "discounts.publicRoutes" -}}
{{- list
  (dict "path" "/discounts/api/v1.0/generate" "type" "Exact" "app" "generator")
  (dict "path" "/v1/brands" "type" "Prefix" "app" "generator")
  (dict "path" "/v1/jobs" "type" "Prefix" "app" "generator")
  (dict "path" "/discounts/api/v1.0/get_code" "type" "Prefix" "app" "provider")
  (dict "path" "/v1/users" "type" "Prefix" "app" "provider") | toJson }}
{{- end }}

{{/* More than one pod at a time: a PodDisruptionBudget makes sense. */}}
{{- define "discounts.app.isReplicated" -}}
{{- $values := index .root.Values .app }}
{{- if or $values.autoscaling.enabled (gt (int $values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/*
The app's non-secret settings, the data of its ConfigMap (also hashed into the pod annotations).
Only what is set is rendered; the app's defaults apply to the rest.
*/}}
{{- define "discounts.app.settings" -}}
{{- $values := index .root.Values .app }}
{{- $common := .root.Values.settings }}
{{- $env := dict "PORT" (toString $values.port) "LOG_LEVEL" $common.logLevel "SWAGGER_ENABLED" (toString $common.swaggerEnabled) "NATS_URL" $common.natsUrl }}
{{- if include "discounts.adminPortOn" .root }}
{{- $_ := set $env "ADMIN_PORT" (toString (int64 .root.Values.admin.port)) }}
{{- end }}
{{- if .root.Values.secrets.natsNkeySeed.secretName }}
{{- $_ := set $env "NATS_NKEY_SEED_FILE" (include "discounts.natsNkeySeedFile" .root) }}
{{- end }}
{{- if not (kindIs "invalid" $common.httpBodyLimitBytes) }}
{{- $_ := set $env "HTTP_BODY_LIMIT_BYTES" (toString (int64 $common.httpBodyLimitBytes)) }}
{{- end }}
{{- if not (kindIs "invalid" $common.mongodbServerSelectionTimeoutMs) }}
{{- $_ := set $env "MONGODB_SERVER_SELECTION_TIMEOUT_MS" (toString (int64 $common.mongodbServerSelectionTimeoutMs)) }}
{{- end }}
{{- if not (kindIs "invalid" $common.eventsStreamReplicas) }}
{{- $_ := set $env "EVENTS_STREAM_REPLICAS" (toString (int64 $common.eventsStreamReplicas)) }}
{{- end }}
{{- if not (kindIs "invalid" $common.rateLimitStoreMaxBytes) }}
{{- $_ := set $env "RATE_LIMIT_STORE_MAX_BYTES" (toString (int64 $common.rateLimitStoreMaxBytes)) }}
{{- end }}
{{- with $common.trustedProxies }}{{ $_ := set $env "TRUST_PROXY" (join "," .) }}{{ end }}
{{- $_ := set $env "SHUTDOWN_DELAY_MS" (toString (int64 $common.shutdownDelayMs)) }}
{{- $_ := set $env "SHUTDOWN_GRACE_MS" (toString (int64 $common.shutdownGraceMs)) }}
{{- with $common.tracing.otlpEndpoint }}{{ $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" . }}{{ end }}
{{- with $common.tracing.sampler }}{{ $_ := set $env "OTEL_TRACES_SAMPLER" . }}{{ end }}
{{- with $common.tracing.samplerArg }}{{ $_ := set $env "OTEL_TRACES_SAMPLER_ARG" . }}{{ end }}
{{- with $common.tracing.resourceAttributes }}{{ $_ := set $env "OTEL_RESOURCE_ATTRIBUTES" . }}{{ end }}
{{- if not (kindIs "invalid" $values.settings.mongodbMaxPoolSize) }}
{{- $_ := set $env "MONGODB_MAX_POOL_SIZE" (toString (int64 $values.settings.mongodbMaxPoolSize)) }}
{{- end }}
{{- /* Requests in flight per pod past which load is shed; may be "off". */}}
{{- if kindIs "string" $values.settings.loadShedMaxInFlight }}
{{- $_ := set $env "LOAD_SHED_MAX_IN_FLIGHT" $values.settings.loadShedMaxInFlight }}
{{- else if not (kindIs "invalid" $values.settings.loadShedMaxInFlight) }}
{{- $_ := set $env "LOAD_SHED_MAX_IN_FLIGHT" (toString (int64 $values.settings.loadShedMaxInFlight)) }}
{{- end }}
{{- if eq .app "generator" }}
{{- if not (kindIs "invalid" $values.settings.generationMaxCount) }}
{{- $_ := set $env "GENERATION_MAX_COUNT" (toString (int64 $values.settings.generationMaxCount)) }}
{{- end }}
{{- if not (kindIs "invalid" $values.settings.generationBatchSize) }}
{{- $_ := set $env "GENERATION_BATCH_SIZE" (toString (int64 $values.settings.generationBatchSize)) }}
{{- end }}
{{- if not (kindIs "invalid" $values.settings.importMaxBytes) }}
{{- $_ := set $env "IMPORT_MAX_BYTES" (toString (int64 $values.settings.importMaxBytes)) }}
{{- end }}
{{- if not (kindIs "invalid" $values.settings.generationInlineMaxCount) }}
{{- $_ := set $env "GENERATION_INLINE_MAX_COUNT" (toString (int64 $values.settings.generationInlineMaxCount)) }}
{{- end }}
{{- if not (kindIs "invalid" $values.settings.generationJobChunkSize) }}
{{- $_ := set $env "GENERATION_JOB_CHUNK_SIZE" (toString (int64 $values.settings.generationJobChunkSize)) }}
{{- end }}
{{- if not (kindIs "invalid" $values.settings.generationJobAckWaitSeconds) }}
{{- $_ := set $env "GENERATION_JOB_ACK_WAIT_SECONDS" (toString (int64 $values.settings.generationJobAckWaitSeconds)) }}
{{- end }}
{{- if not (kindIs "invalid" $values.settings.generationJobStallSeconds) }}
{{- $_ := set $env "GENERATION_JOB_STALL_SECONDS" (toString (int64 $values.settings.generationJobStallSeconds)) }}
{{- end }}
{{- /* Retention: whole days, or "off" (kept for ever). */}}
{{- range $key, $name := dict "expiredCodesRetentionDays" "EXPIRED_CODES_RETENTION_DAYS" "webhookDeliveryRetentionDays" "WEBHOOK_DELIVERY_RETENTION_DAYS" "generationJobRetentionDays" "GENERATION_JOB_RETENTION_DAYS" }}
{{- $days := index $values.settings $key }}
{{- if kindIs "string" $days }}
{{- $_ := set $env $name $days }}
{{- else if not (kindIs "invalid" $days) }}
{{- $_ := set $env $name (toString (int64 $days)) }}
{{- end }}
{{- end }}
{{- /* Per-brand quotas; the stored-codes one may be "off". */}}
{{- if kindIs "string" $values.settings.brandMaxCodes }}
{{- $_ := set $env "BRAND_MAX_CODES" $values.settings.brandMaxCodes }}
{{- else if not (kindIs "invalid" $values.settings.brandMaxCodes) }}
{{- $_ := set $env "BRAND_MAX_CODES" (toString (int64 $values.settings.brandMaxCodes)) }}
{{- end }}
{{- if not (kindIs "invalid" $values.settings.brandMaxConcurrentJobs) }}
{{- $_ := set $env "BRAND_MAX_CONCURRENT_JOBS" (toString (int64 $values.settings.brandMaxConcurrentJobs)) }}
{{- end }}
{{- if not (kindIs "invalid" $values.settings.brandMaxConcurrentExports) }}
{{- $_ := set $env "BRAND_MAX_CONCURRENT_EXPORTS" (toString (int64 $values.settings.brandMaxConcurrentExports)) }}
{{- end }}
{{- $_ := set $env "WEBHOOK_ALLOW_HTTP" (toString $values.settings.webhookAllowHttp) }}
{{- $_ := set $env "WEBHOOK_ALLOWED_PORTS" (join "," .root.Values.networkPolicy.egress.webhooks.ports) }}
{{- else }}
{{- with $values.settings.jwtJwksUrl }}{{ $_ := set $env "JWT_JWKS_URL" . }}{{ end }}
{{- with $values.settings.jwtIssuer }}{{ $_ := set $env "JWT_ISSUER" . }}{{ end }}
{{- with $values.settings.jwtAudience }}{{ $_ := set $env "JWT_AUDIENCE" . }}{{ end }}
{{- with $values.settings.metricsBrands }}{{ $_ := set $env "METRICS_BRANDS" . }}{{ end }}
{{- if not (kindIs "invalid" $values.settings.metricsTopBrands) }}
{{- $_ := set $env "METRICS_TOP_BRANDS" (toString (int64 $values.settings.metricsTopBrands)) }}
{{- end }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/* The Secret the apps' credentials come from. */}}
{{- define "discounts.secretName" -}}
{{- default (include "discounts.suffixedName" (dict "root" . "suffix" "secrets")) .Values.secrets.existingSecret }}
{{- end }}

{{/*
A Secret of the release's namespace as the cluster has it now, as JSON: {} when there is none, and
always under `helm template`, which cannot read the cluster. Every lookup of the chart goes
through here, so that test/deploy can stand a cluster's Secrets in. (dict "root" $ "name" "x")
*/}}
{{- define "discounts.lookupSecret" -}}
{{- lookup "v1" "Secret" .root.Release.Namespace .name | toJson }}
{{- end }}

{{/* Whether the chart's own Secret has a JWT_SECRET: given, or generated unless JWKS is used. */}}
{{- define "discounts.hasJwtSecret" -}}
{{- if or .Values.secrets.jwtSecret (not .Values.provider.settings.jwtJwksUrl) }}true{{ end }}
{{- end }}

{{/*
Changes whenever the credentials may have: the values (generated ones are kept across upgrades)
and, with existingSecret or an NKey seed Secret, that Secret's current data as the cluster has it.
*/}}
{{- define "discounts.secretChecksum" -}}
{{- $s := .Values.secrets }}
{{- $existing := dict }}
{{- if $s.existingSecret }}
{{- $existing = (include "discounts.lookupSecret" (dict "root" . "name" $s.existingSecret) | fromJson).data | default dict }}
{{- end }}
{{- $nkey := dict }}
{{- if $s.natsNkeySeed.secretName }}
{{- $nkey = (include "discounts.lookupSecret" (dict "root" . "name" $s.natsNkeySeed.secretName) | fromJson).data | default dict }}
{{- end }}
{{- dict "values" $s "jwks" .Values.provider.settings.jwtJwksUrl "existing" $existing "nkey" $nkey | toJson | sha256sum }}
{{- end }}

{{/*
How the apps authenticate to NATS: "nkey" (secrets.natsNkeySeed), "secret" (whatever
existingSecret holds: its NATS keys are optional), "token", "password", or empty (no credentials).
One way only, as a NATS server checks one: an NKey wins over a token, a token over a password.
*/}}
{{- define "discounts.natsAuth" -}}
{{- $s := .Values.secrets }}
{{- if $s.natsNkeySeed.secretName }}nkey
{{- else if $s.existingSecret }}secret
{{- else if $s.natsToken }}token
{{- else if or $s.natsUser $s.natsPassword }}password
{{- end }}
{{- end }}

{{/*
The key of existingSecret holding one app's ADMIN_TOKEN: its own (secrets.keys.<app>AdminToken),
or the deprecated shared secrets.keys.adminToken when that is set (Secrets made for chart < 0.4).
*/}}
{{- define "discounts.app.adminTokenKey" -}}
{{- $keys := .root.Values.secrets.keys }}
{{- $keys.adminToken | default (get $keys (printf "%sAdminToken" .app)) }}
{{- end }}

{{/*
The app's credentials as env entries. From existingSecret, the optional ones are marked optional
(a JWKS setup has no JWT_SECRET, most have no NATS credentials); from the chart's Secret, only
the keys it holds are referenced. Each app's ADMIN_TOKEN is its own key: GENERATOR_ADMIN_TOKEN or
PROVIDER_ADMIN_TOKEN, so that a leaked token of one app opens nothing of the other.
*/}}
{{- define "discounts.app.secretEnv" -}}
{{- $root := .root }}
{{- $s := $root.Values.secrets }}
{{- $nats := include "discounts.natsAuth" $root }}
{{- /* name, key in existingSecret, key in the chart's Secret (empty: it holds none), required */}}
{{- $vars := list
  (list "ADMIN_TOKEN" (include "discounts.app.adminTokenKey" .) (printf "%s_ADMIN_TOKEN" (upper .app)) true)
  (list "MONGODB_URI" $s.keys.mongodbUri "MONGODB_URI" true) }}
{{- if ne $nats "nkey" }}
{{- $password := eq $nats "password" }}
{{- $vars = append $vars (list "NATS_USER" $s.keys.natsUser (ternary "NATS_USER" "" (and $password (not (empty $s.natsUser)))) false) }}
{{- $vars = append $vars (list "NATS_PASSWORD" $s.keys.natsPassword (ternary "NATS_PASSWORD" "" (and $password (not (empty $s.natsPassword)))) false) }}
{{- $vars = append $vars (list "NATS_TOKEN" $s.keys.natsToken (ternary "NATS_TOKEN" "" (eq $nats "token")) false) }}
{{- end }}
{{- if eq .app "provider" }}
{{- $vars = append $vars (list "JWT_SECRET" $s.keys.jwtSecret (ternary "JWT_SECRET" "" (not (empty (include "discounts.hasJwtSecret" $root)))) false) }}
{{- $vars = append $vars (list "USER_SECRET_PEPPER" $s.keys.userSecretPepper "USER_SECRET_PEPPER" true) }}
{{- else }}
{{- $vars = append $vars (list "WEBHOOK_SECRET_KEYS" $s.keys.webhookSecretKeys "WEBHOOK_SECRET_KEYS" true) }}
{{- end }}
{{- $env := list }}
{{- range $vars }}
{{- $name := index . 0 }}
{{- if $s.existingSecret }}
{{- $ref := dict "name" $s.existingSecret "key" (index . 1) }}
{{- if not (index . 3) }}
{{- $_ := set $ref "optional" true }}
{{- end }}
{{- $env = append $env (dict "name" $name "valueFrom" (dict "secretKeyRef" $ref)) }}
{{- else if index . 2 }}
{{- $ref := dict "name" (include "discounts.secretName" $root) "key" (index . 2) }}
{{- $env = append $env (dict "name" $name "valueFrom" (dict "secretKeyRef" $ref)) }}
{{- end }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{- /*
Whether the cluster serves a Prometheus Operator kind ("ServiceMonitor", "PrometheusRule"): "true"
or empty. Without the operator's CRDs such an object would fail the whole install, so it is left
out and NOTES says so. `helm template` knows only the APIs passed with --api-versions.
*/}}
{{- define "discounts.hasMonitoringKind" -}}
{{- if .root.Capabilities.APIVersions.Has (printf "monitoring.coreos.com/v1/%s" .kind) }}true{{ end }}
{{- end }}

{{- /*
files/prometheus/rules.yaml (deploy/prometheus/rules.yaml) with every runbook_url pointing at
monitoring.runbookBaseUrl: the part before `#` is replaced, the alert's anchor kept. A text
replacement, so that the rules ConfigMap keeps the file's comments; empty without the file.
*/}}
{{- define "discounts.rulesFile" -}}
{{- $rules := .Files.Get "files/prometheus/rules.yaml" }}
{{- if $rules }}
{{- $base := .Values.monitoring.runbookBaseUrl }}
{{- if not (regexMatch "^https?://[^#\\s]+$" $base) }}
{{- fail (printf "monitoring.runbookBaseUrl must be an absolute http(s) address without a #fragment, not %q" $base) }}
{{- end }}
{{- regexReplaceAll "(runbook_url:[ \\t]*['\"]?)[^#'\"\\s]*#" $rules (printf "${1}%s#" (replace "$" "$$" $base)) }}
{{- end }}
{{- end }}
