export interface paths {
    "/discounts/api/v1.0/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generate codes (registers the brand on first use, as the predecessor did) */
        post: operations["legacyGenerateCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["healthLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: MongoDB and NATS reachable, not stopping */
        get: operations["healthReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/startup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Start-up: 503 until bootstrap has finished */
        get: operations["healthStartup"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every brand, a page at a time in id order, optionally by name prefix (admin) */
        get: operations["listBrands"];
        put?: never;
        /** Register a brand (admin). The API key is shown once, and so is the webhook secret when the generator chose it. */
        post: operations["createBrand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand and its settings (the webhook secret is never shown) */
        get: operations["getBrand"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the name, webhook, pool-low threshold or auto-replenish (null removes) */
        patch: operations["updateBrand"];
        trace?: never;
    };
    "/v1/brands/{brandId}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ids of the brand’s keys: the current one and the one a rotation replaced */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Rotate the brand’s API key (admin or the brand’s current key)
         * @description The new key is shown once. The replaced key keeps working for a grace period, then is refused; meanwhile it cannot change the webhook, manage keys or export codes.
         */
        post: operations["rotateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/api-keys/previous": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke the replaced key now instead of at the end of its grace period */
        delete: operations["revokePreviousApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand’s campaigns, the default one first, a page at a time */
        get: operations["listCampaigns"];
        put?: never;
        /** Create a campaign: its dates, per-user limit, default code format and metadata */
        post: operations["createCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/campaigns/{campaignId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A campaign ("default" included) */
        get: operations["getCampaign"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a campaign: absent fields stay, null removes startsAt, endsAt, format or metadata */
        patch: operations["updateCampaign"];
        trace?: never;
    };
    "/v1/brands/{brandId}/campaigns/{campaignId}/codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generate codes into the campaign, as POST /v1/brands/{brandId}/codes does; the campaign’s format fills what the request leaves out */
        post: operations["generateCampaignCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/campaigns/{campaignId}/codes/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import codes made elsewhere into the campaign, as POST /v1/brands/{brandId}/codes/import does */
        post: operations["importCampaignCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/campaigns/{campaignId}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counts of the campaign’s codes (the default campaign: codes of no other campaign) */
        get: operations["getCampaignStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand’s codes, a page at a time (cursor pagination in _id order), optionally by status, campaign, batch or job */
        get: operations["listCodes"];
        put?: never;
        /** Generate a batch of unique codes for the brand */
        post: operations["generateCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/codes.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand’s codes as CSV, streamed (code, status, claimed by/at, expires at, campaign, redeemed at, order, redemption), optionally by status, campaign, batch or job */
        get: operations["exportCodesCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/codes/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import codes made elsewhere: CSV (code[,expiresAt]) or NDJSON streamed, or a JSON array */
        post: operations["importCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand’s generation jobs, newest first, optionally by status */
        get: operations["listBrandJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/redemptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeem a claimed code with an order (claimed → redeemed, one atomic write)
         * @description Idempotent by orderId: the same order redeeming the same code again gets the same redemption.
         */
        post: operations["redeemCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/redemptions/{redemptionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A redemption, current (redeemed) or rolled back */
        get: operations["getRedemption"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/redemptions/{redemptionId}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll a redemption back (redeemed → claimed: the holder keeps the code)
         * @description Within REDEMPTION_ROLLBACK_WINDOW_SECONDS of the redemption. Idempotent: a repeat answers the same.
         */
        post: operations["rollbackRedemption"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counts of the brand’s codes */
        get: operations["getBrandStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/validations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Whether a code can be redeemed now, and why not; changes nothing
         * @description reason: null or one of unknown_code, not_claimed, claimed_by_other, expired, campaign_not_active, already_redeemed. A code redeemed already is already_redeemed, even for the order that redeemed it.
         */
        post: operations["validateCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/webhook-deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand’s webhook deliveries, newest first, with every attempt and its outcome */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/webhook-deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put a dead-lettered delivery back in line (fresh attempts and age budget) */
        post: operations["redeliverWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/webhook/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the brand’s webhook a signed webhook.test event now (one attempt) and report its answer */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Progress of a generation job (admin or the job’s brand) */
        get: operations["getJob"];
        put?: never;
        post?: never;
        /** Cancel a generation job; codes already stored stay */
        delete: operations["cancelJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The error body of every v1 route */
        ApiError: {
            /**
             * @description The HTTP status, repeated
             * @example 404
             */
            statusCode: number;
            /**
             * @description A stable machine-readable code; the status alone does not tell them apart
             * @example brand_not_found
             */
            error: components["schemas"]["ErrorCode"];
            /**
             * @description For people; may change wording
             * @example Brand acme not found
             */
            message: string;
            /**
             * @description Machine-readable specifics of some errors (invalid fields, a refusal reason)
             * @example {
             *       "retryAfterSeconds": 30
             *     }
             */
            details?: {
                [key: string]: unknown;
            };
        };
        ApiWarningResponse: {
            /**
             * @example dev_server_slow_claims
             * @enum {string}
             */
            code: "dev_server_slow_claims";
            /** @example The database is the FerretDB dev server (…); set MONGODB_URI to a real MongoDB. */
            message: string;
        };
        AttemptResponse: {
            /** @example 1 */
            number: number;
            /** @example 2026-12-07T09:15:01.000Z */
            at: string;
            /**
             * @example failed
             * @enum {string}
             */
            outcome: "delivered" | "failed";
            /** @example 503 */
            statusCode: number | null;
            /** @example HTTP 503 */
            error: string | null;
            /** @example 42 */
            durationMs: number;
        };
        AutoReplenishRequest: {
            /** @example true */
            enabled: boolean;
            /**
             * @description Codes added each time
             * @example 1000
             */
            count: number;
        };
        AutoReplenishResponse: {
            /** @example true */
            enabled: boolean;
            /** @example 1000 */
            count: number;
        };
        BrandKeysResponse: {
            /** @example acme */
            brandId: string;
            current: components["schemas"]["KeyIdResponse"];
            /** @description The replaced key, during its grace period */
            previous: components["schemas"]["PreviousKeyResponse"] | null;
        };
        BrandPageResponse: {
            /** @description In brand id order */
            items: components["schemas"]["BrandResponse"][];
            /**
             * @description Pass as cursor for the next page
             * @example null
             */
            nextCursor: string | null;
        };
        BrandResponse: {
            /** @example acme */
            brandId: string;
            /** @example Acme Coffee */
            name: string;
            /** @example 2026-12-01T08:00:00.000Z */
            createdAt: string;
            webhook: components["schemas"]["WebhookResponse"] | null;
            /** @example 100 */
            poolLowThreshold: number | null;
            autoReplenish: components["schemas"]["AutoReplenishResponse"] | null;
        };
        BrandStatsResponse: {
            /** @example acme */
            brandId: string;
            /** @example 100 */
            total: number;
            /**
             * @description Claimable: not claimed, not expired
             * @example 97
             */
            available: number;
            /** @example 3 */
            claimed: number;
            /**
             * @description Never claimed and past expiresAt: never handed out
             * @example 0
             */
            expired: number;
            /**
             * @description Claim events this service has received over NATS (each once)
             * @example 3
             */
            claimedNotified: number;
            /**
             * @description Codes redeemed. Present from the brand’s first redemption on (with rolledBack/redeemed), absent before
             * @example 2
             */
            redeemed?: number;
            /**
             * @description Redemptions rolled back (each rollback counts). Present from the brand’s first redemption on (with rolledBack/redeemed), absent before
             * @example 1
             */
            rolledBack?: number;
        };
        CampaignFormatRequest: {
            /** @example 8 */
            length?: number;
            /**
             * @description Up to 16 of A–Z, 0–9, "-"
             * @example SPRING-
             */
            prefix?: string;
            /**
             * @description At least 10 distinct URL-safe characters
             * @example 23456789ABCDEFGHJKMNPQRSTUVWXYZ
             */
            alphabet?: string;
        };
        CampaignFormatResponse: {
            /** @example 8 */
            length: number | null;
            /** @example SPRING- */
            prefix: string | null;
            /** @example null */
            alphabet: string | null;
        };
        CampaignPageResponse: {
            /** @description The default campaign first, then by campaignId */
            items: components["schemas"]["CampaignResponse"][];
            /**
             * @description Pass as cursor for the next page
             * @example null
             */
            nextCursor: string | null;
        };
        CampaignResponse: {
            /** @example acme */
            brandId: string;
            /** @example spring-sale */
            campaignId: string;
            /** @example Spring sale */
            name: string;
            /** @example 2027-03-01T00:00:00.000Z */
            startsAt: string | null;
            /** @example 2027-04-30T23:59:59.000Z */
            endsAt: string | null;
            format: components["schemas"]["CampaignFormatResponse"] | null;
            /** @example 1 */
            perUserLimit: number;
            /**
             * @example {
             *       "channel": "newsletter"
             *     }
             */
            metadata: {
                [key: string]: string;
            } | null;
            /**
             * @description For the default campaign: when the brand was created
             * @example 2026-12-07T09:00:00.000Z
             */
            createdAt: string;
            /** @example 2026-12-07T09:30:00.000Z */
            updatedAt: string;
        };
        CampaignStatsResponse: {
            /** @example acme */
            brandId: string;
            /** @example spring-sale */
            campaignId: string;
            /** @example 100 */
            total: number;
            /**
             * @description Claimable: not claimed, not expired
             * @example 90
             */
            available: number;
            /**
             * @description Held by a user, not (or no longer) redeemed
             * @example 6
             */
            claimed: number;
            /**
             * @description Never claimed and past expiresAt: never handed out
             * @example 0
             */
            expired: number;
            /** @example 4 */
            redeemed: number;
            /**
             * @description Redemptions rolled back (each rollback counts)
             * @example 1
             */
            rolledBack: number;
        };
        CodeBatchResponse: {
            /** @example 0b6f3c1e-5d2a-4e8f-9c7b-2a1d4e6f8a90 */
            batchId: string;
            /** @example acme */
            brandId: string;
            /**
             * @description The campaign the codes went to; only on a campaign’s route
             * @example spring-sale
             */
            campaignId?: string;
            /** @example 1000 */
            requested: number;
            /** @example 1000 */
            generated: number;
            format: components["schemas"]["CodeFormatResponse"];
            /** @example 2027-04-30T23:59:59.000Z */
            expiresAt: string | null;
            /** @example 2026-12-07T09:00:00.000Z */
            createdAt: string;
            /** @description Present only when there is one; the request succeeded all the same. dev_server_slow_claims: the database is the FerretDB dev server and its codes collection (all brands) now holds, or with this job will hold, more codes than it serves claims well at; set MONGODB_URI to a real MongoDB */
            warnings?: components["schemas"]["ApiWarningResponse"][];
        };
        CodeFormatResponse: {
            /** @example 8 */
            length: number;
            /** @example SPRING- */
            prefix: string;
            /** @example 23456789ABCDEFGHJKMNPQRSTUVWXYZ */
            alphabet: string;
        };
        CodePageResponse: {
            items: components["schemas"]["CodeRowResponse"][];
            /**
             * @description Pass as cursor for the next page
             * @example null
             */
            nextCursor: string | null;
        };
        CodeRowResponse: {
            /** @example SPRING-7KQ2M9XD */
            code: string;
            /**
             * @example redeemed
             * @enum {string}
             */
            status: "available" | "claimed" | "expired" | "redeemed";
            /** @example user-42 */
            claimedBy: string | null;
            /** @example 2026-12-07T09:15:00.000Z */
            claimedAt: string | null;
            /** @example 2027-04-30T23:59:59.000Z */
            expiresAt: string | null;
            /** @example 2026-12-07T09:00:00.000Z */
            createdAt: string;
            /** @example spring-sale */
            campaignId: string;
            /**
             * @description Set while the code is redeemed
             * @example 2026-12-07T10:05:00.000Z
             */
            redeemedAt: string | null;
            /** @example #1001 */
            orderId: string | null;
            /**
             * @description What a rollback names
             * @example U1BSSU5HLTdLUTJNOVhE.f3K9c2VdQm1xTzRi
             */
            redemptionId: string | null;
        };
        CreateBrandRequest: {
            /**
             * @description Chosen id; generated when omitted. 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit
             * @example acme
             */
            id?: string;
            /** @example Acme Coffee */
            name: string;
            /** @description Where claim notifications go */
            webhook?: components["schemas"]["WebhookRequest"];
            /**
             * @description pool.low is emitted when fewer codes are available
             * @example 100
             */
            poolLowThreshold?: number;
            autoReplenish?: components["schemas"]["AutoReplenishRequest"];
        };
        CreateCampaignRequest: {
            /**
             * @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit; not "default"
             * @example spring-sale
             */
            campaignId: string;
            /** @example Spring sale */
            name: string;
            /**
             * @description ISO 8601; claims open then
             * @example 2027-03-01T00:00:00Z
             */
            startsAt?: string;
            /**
             * @description ISO 8601, after startsAt; claims and redemptions close then
             * @example 2027-04-30T23:59:59Z
             */
            endsAt?: string;
            /** @description What the campaign’s generate requests use where they name no format of their own */
            format?: components["schemas"]["CampaignFormatRequest"];
            /**
             * @description Codes of the campaign one user may hold: 1–100
             * @default 1
             * @example 1
             */
            perUserLimit: number;
            /**
             * @description Up to 20 entries; keys of 1–40 letters, digits, "_" or "-"; string values of at most 500 characters
             * @example {
             *       "channel": "newsletter"
             *     }
             */
            metadata?: Record<string, never>;
        };
        CreatedBrandResponse: {
            /** @example acme */
            brandId: string;
            /** @example Acme Coffee */
            name: string;
            /** @example 2026-12-01T08:00:00.000Z */
            createdAt: string;
            webhook: components["schemas"]["WebhookResponse"] | null;
            /** @example 100 */
            poolLowThreshold: number | null;
            autoReplenish: components["schemas"]["AutoReplenishResponse"] | null;
            /**
             * @description Shown once; only its hash is stored.
             * @example dk_…
             */
            apiKey: string;
            /**
             * @description The webhook secret the generator chose (the request gave a webhook without one); shown once
             * @example whsec_…
             */
            webhookSecret?: string;
        };
        DeliveryPageResponse: {
            items: components["schemas"]["DeliveryResponse"][];
            /**
             * @description Pass as cursor for the next page
             * @example null
             */
            nextCursor: string | null;
        };
        DeliveryResponse: {
            /**
             * @description Also the event id (X-Discounts-Event-Id)
             * @example 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
             */
            id: string;
            /** @example code.claimed */
            eventType: string;
            /**
             * @example delivered
             * @enum {string}
             */
            status: "pending" | "delivered" | "dead";
            /**
             * @description The JSON body sent
             * @example {
             *       "eventId": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
             *       "type": "code.claimed",
             *       "version": 1,
             *       "brandId": "acme",
             *       "code": "SPRING-7KQ2M9XD",
             *       "userId": "user-42",
             *       "claimedAt": "2026-12-07T09:15:00.000Z"
             *     }
             */
            payload: Record<string, never>;
            /** @example 2026-12-07T09:15:00.500Z */
            createdAt: string;
            /** @example null */
            nextAttemptAt: string | null;
            /** @example 2026-12-07T09:15:31.000Z */
            deliveredAt: string | null;
            /** @example null */
            deadAt: string | null;
            /** @example null */
            deadReason: string | null;
            /** @example 0 */
            redeliveries: number;
            attempts: components["schemas"]["AttemptResponse"][];
        };
        /**
         * @description A stable machine-readable code; the status alone does not tell them apart
         * @enum {string}
         */
        ErrorCode: "invalid_input" | "unauthorized" | "forbidden" | "admin_port_only" | "not_found" | "brand_not_found" | "brand_exists" | "user_exists" | "codes_exhausted" | "campaign_not_found" | "campaign_exists" | "campaign_not_active" | "code_not_found" | "code_not_redeemable" | "redemption_not_found" | "rollback_window_passed" | "invalid_state" | "idempotency_key_in_use" | "quota_exceeded" | "capacity_exceeded" | "idempotency_key_reused" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "too_many_jobs" | "too_many_exports" | "request_timeout" | "headers_too_large" | "service_unavailable" | "internal";
        GenerateCodesRequest: {
            /** @example 1000 */
            count: number;
            /** @example 8 */
            length?: number;
            /**
             * @description Up to 16 of A–Z, 0–9, "-"
             * @example SPRING-
             */
            prefix?: string;
            /**
             * @description At least 10 distinct URL-safe characters
             * @example 23456789ABCDEFGHJKMNPQRSTUVWXYZ
             */
            alphabet?: string;
            /**
             * @description ISO 8601, in the future
             * @example 2030-01-01T00:00:00Z
             */
            expiresAt?: string;
        };
        ImportRejectionResponse: {
            /** @example 2 */
            line: number;
            /** @example SPRING-0001 */
            code?: string;
            /** @example duplicate */
            reason: string;
        };
        ImportReportResponse: {
            /** @example 6a1e9f2d-3c4b-4d5e-8f7a-1b2c3d4e5f60 */
            importId: string;
            /** @example acme */
            brandId: string;
            /**
             * @description Only on the campaign route
             * @example spring-sale
             */
            campaignId?: string;
            /**
             * @description Entries read (non-blank lines after the header, or array elements)
             * @example 2
             */
            lines: number;
            /** @example 1 */
            accepted: number;
            /** @example 1 */
            rejected: number;
            /** @description The first 100, by line */
            rejections: components["schemas"]["ImportRejectionResponse"][];
            /**
             * @description More rejections than listed
             * @example false
             */
            truncated: boolean;
            /** @description Present only when there is one; the request succeeded all the same. dev_server_slow_claims: the database is the FerretDB dev server and its codes collection (all brands) now holds, or with this job will hold, more codes than it serves claims well at; set MONGODB_URI to a real MongoDB */
            warnings?: components["schemas"]["ApiWarningResponse"][];
        };
        JobPageResponse: {
            /** @description Newest first; each as GET /v1/jobs/{jobId} answers it */
            items: components["schemas"]["JobResponse"][];
            /**
             * @description Pass as cursor for the next page
             * @example null
             */
            nextCursor: string | null;
        };
        JobResponse: {
            /** @example 3f2c8a41-7b6d-4e19-a5c0-9d8e7f6a5b43 */
            jobId: string;
            /** @example acme */
            brandId: string;
            /**
             * @description The campaign its codes go to: on a campaign’s route, and on every answer about a job of a campaign other than the default one
             * @example spring-sale
             */
            campaignId?: string;
            /**
             * @example running
             * @enum {string}
             */
            status: "queued" | "running" | "completed" | "failed" | "cancelled";
            /** @example 1000000 */
            requested: number;
            /**
             * @description Codes stored (counted per finished chunk)
             * @example 250000
             */
            generated: number;
            /** @example 10000 */
            chunkSize: number;
            /** @example 100 */
            chunkCount: number;
            /** @example 25 */
            chunksDone: number;
            format: components["schemas"]["CodeFormatResponse"];
            /** @example 2027-04-30T23:59:59.000Z */
            expiresAt: string | null;
            /** @example 2026-12-07T09:00:00.000Z */
            createdAt: string;
            /** @example 2026-12-07T09:00:01.000Z */
            startedAt: string | null;
            /** @example null */
            finishedAt: string | null;
            /**
             * @description Codes per second since the first chunk started
             * @example 50000
             */
            ratePerSecond: number;
            /** @example null */
            error: string | null;
            /** @description Present only when there is one; the request succeeded all the same. dev_server_slow_claims: the database is the FerretDB dev server and its codes collection (all brands) now holds, or with this job will hold, more codes than it serves claims well at; set MONGODB_URI to a real MongoDB */
            warnings?: components["schemas"]["ApiWarningResponse"][];
        };
        KeyIdResponse: {
            /** @example key_3f9a0c1b2d4e */
            keyId: string;
        };
        /** @description The predecessor’s envelope: success and error answers of the seed-compatible routes */
        LegacyEnvelope: {
            /**
             * @description An HTTP status as a string ("201" on success)
             * @example 201
             */
            code: string;
            /**
             * @description The code claimed, the job id, or empty
             * @example
             */
            data: string;
            /** @example System generated discount codes successfully */
            message: string;
            /**
             * @example success
             * @enum {string}
             */
            status: "success" | "error";
        };
        LegacyGenerateRequest: {
            /**
             * @description The predecessor's integer id, or a brand id string (1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit); a string that reads as a number must be the integer's own form, 1 to 9007199254740991 without leading zeros, so "1" names brand 1. A brand made with POST /v1/brands (e.g. "acme") is filled by its id.
             * @example 1
             */
            brand_id: number | string;
            /** @example 100 */
            number_of_codes: number;
        };
        PreviousKeyResponse: {
            /** @example key_3f9a0c1b2d4e */
            keyId: string;
            /** @example 2026-12-08T09:00:00.000Z */
            expiresAt: string;
        };
        RedeemCodeRequest: {
            /** @example SPRING-7KQ2M9XD */
            code: string;
            /**
             * @description When given, only this user's code is redeemed (claimed_by_other otherwise): 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit
             * @example user-42
             */
            userId?: string;
            /**
             * @description 1–128 visible ASCII characters (no spaces), not starting with =, +, - or @. The same order redeeming the same code again gets the same redemption (200)
             * @example #1001
             */
            orderId: string;
            /**
             * @description The order's amount, stored as given
             * @example 49.9
             */
            amount?: number;
            /**
             * @description Up to 20 entries; keys of 1–40 letters, digits, "_" or "-"; string values of at most 500 characters
             * @example {
             *       "channel": "web"
             *     }
             */
            metadata?: {
                [key: string]: string;
            };
        };
        RedemptionResponse: {
            /**
             * @description Names the code; used to roll the redemption back
             * @example U1BSSU5HLTdLUTJNOVhE.f3K9c2VdQm1xTzRi
             */
            redemptionId: string;
            /** @example acme */
            brandId: string;
            /** @example spring-sale */
            campaignId: string;
            /** @example SPRING-7KQ2M9XD */
            code: string;
            /** @example #1001 */
            orderId: string;
            /** @example user-42 */
            userId: string | null;
            /** @example 49.9 */
            amount: number | null;
            /**
             * @example {
             *       "channel": "web"
             *     }
             */
            metadata: {
                [key: string]: string;
            } | null;
            /** @example 2026-12-07T10:05:00.000Z */
            redeemedAt: string;
            /** @example null */
            rolledBackAt: string | null;
            /**
             * @example redeemed
             * @enum {string}
             */
            status: "redeemed" | "rolled_back";
        };
        RotatedApiKeyResponse: {
            /** @example acme */
            brandId: string;
            /**
             * @description The new key. Shown once; only its hash is stored.
             * @example dk_…
             */
            apiKey: string;
            /**
             * @description The new key’s id (not secret)
             * @example key_3f9a0c1b2d4e
             */
            keyId: string;
            /**
             * @description The replaced key’s id
             * @example key_8b7e6d5c4a3f
             */
            previousKeyId: string;
            /**
             * @description Until when the replaced key still works (API_KEY_ROTATION_GRACE_SECONDS)
             * @example 2026-12-08T09:00:00.000Z
             */
            previousKeyExpiresAt: string;
        };
        UpdateBrandRequest: {
            /** @example Acme Coffee Roasters */
            name?: string;
            /** @description null removes the webhook */
            webhook?: components["schemas"]["WebhookChangeRequest"] | null;
            /** @example 100 */
            poolLowThreshold?: number | null;
            autoReplenish?: components["schemas"]["AutoReplenishRequest"] | null;
        };
        UpdateCampaignRequest: {
            /** @example Spring sale, extended */
            name?: string;
            /** @example 2027-03-01T00:00:00Z */
            startsAt?: string | null;
            /** @example 2027-05-15T23:59:59Z */
            endsAt?: string | null;
            /** @description Replaces the whole format; null removes it */
            format?: components["schemas"]["CampaignFormatRequest"] | null;
            /**
             * @description Codes of the campaign one user may hold: 1–100
             * @example 3
             */
            perUserLimit?: number;
            /**
             * @description Replaces the whole metadata; null removes it. Up to 20 entries; keys of 1–40 letters, digits, "_" or "-"; string values of at most 500 characters
             * @example {
             *       "channel": "newsletter"
             *     }
             */
            metadata?: Record<string, never> | null;
        };
        ValidateCodeRequest: {
            /** @example SPRING-7KQ2M9XD */
            code: string;
            /**
             * @description The user at checkout: 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit
             * @example user-42
             */
            userId?: string;
            /**
             * @description 1–128 visible ASCII characters (no spaces), not starting with =, +, - or @. Changes nothing in the answer: a code redeemed with this very order is already_redeemed too
             * @example #1001
             */
            orderId?: string;
        };
        ValidationResponse: {
            /**
             * @description Whether a redemption of the code would succeed now
             * @example true
             */
            valid: boolean;
            /**
             * @description Why not; null when valid
             * @example null
             * @enum {string|null}
             */
            reason: "unknown_code" | "not_claimed" | "claimed_by_other" | "expired" | "campaign_not_active" | "already_redeemed" | null;
            /** @example SPRING-7KQ2M9XD */
            code: string;
            /**
             * @description null for an unknown code
             * @example spring-sale
             */
            campaignId: string | null;
            /**
             * @description As stored; null for an unknown code
             * @example claimed
             * @enum {string|null}
             */
            status: "available" | "claimed" | "expired" | "redeemed" | null;
            /**
             * @description The holder of a claimed or redeemed code
             * @example user-42
             */
            claimedBy?: string;
            /** @example 2027-04-30T23:59:59.000Z */
            expiresAt: string | null;
            /** @description The current redemption of a redeemed code */
            redemption?: components["schemas"]["RedemptionResponse"];
        };
        WebhookChangeRequest: {
            /** @example https://hooks.acme.example/discounts */
            url?: string;
            /**
             * @description A new secret (rotation): 24–256 printable ASCII characters without spaces. The replaced one keeps signing next to it (two signatures in `webhook-signature`) for WEBHOOK_SECRET_ROTATION_GRACE_SECONDS. A Standard Webhooks secret, `whsec_` and base64 (e.g. `whsec_` + 32 random bytes in base64), keys the `webhook-signature` HMAC with its decoded bytes (verify with `new Webhook(secret)`); any other secret with its own bytes (verify with `new Webhook(secret, { format: "raw" })`). The deprecated `X-Discounts-Signature` is keyed with the secret as written, whatever its form.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret?: string;
            /**
             * @description The event types the webhook receives (each listed once is enough). Absent: unchanged, code.claimed for a new webhook; null: back to that default.
             * @example [
             *       "code.claimed",
             *       "code.redeemed",
             *       "job.completed"
             *     ]
             */
            events?: ("code.claimed" | "code.redeemed" | "code.redemption_rolled_back" | "pool.low" | "job.completed" | "job.failed")[] | null;
        };
        WebhookRequest: {
            /**
             * @description http(s); must not resolve to loopback, link-local or private addresses
             * @example https://hooks.acme.example/discounts
             */
            url: string;
            /**
             * @description HMAC key for the signatures: 24–256 printable ASCII characters without spaces. Never shown again. A Standard Webhooks secret, `whsec_` and base64 (e.g. `whsec_` + 32 random bytes in base64), keys the `webhook-signature` HMAC with its decoded bytes (verify with `new Webhook(secret)`); any other secret with its own bytes (verify with `new Webhook(secret, { format: "raw" })`). The deprecated `X-Discounts-Signature` is keyed with the secret as written, whatever its form. Left out, the generator chooses a `whsec_` secret and answers it once as `webhookSecret`.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret?: string;
            /**
             * @description The event types the webhook receives (each listed once is enough). Absent: unchanged, code.claimed for a new webhook; null: back to that default.
             * @example [
             *       "code.claimed",
             *       "code.redeemed",
             *       "job.completed"
             *     ]
             */
            events?: ("code.claimed" | "code.redeemed" | "code.redemption_rolled_back" | "pool.low" | "job.completed" | "job.failed")[] | null;
        };
        WebhookResponse: {
            /** @example https://hooks.acme.example/discounts */
            url: string;
            /**
             * @description The last 4 characters of the secret, to tell secrets apart
             * @example …x9Qz
             */
            secretHint: string;
            /**
             * @description The last 4 characters of the secret a rotation replaced, present while it still signs deliveries
             * @example …a7Kd
             */
            previousSecretHint?: string;
            /**
             * @description When the replaced secret stops signing deliveries; present with previousSecretHint
             * @example 2026-12-08T09:00:00.000Z
             */
            previousSecretExpiresAt?: string;
            /** @example 2026-12-07T09:00:00.000Z */
            updatedAt: string;
            /**
             * @description The event types the brand chose; absent until it chooses, meaning ["code.claimed"]
             * @example [
             *       "code.claimed",
             *       "code.redeemed"
             *     ]
             */
            events?: ("code.claimed" | "code.redeemed" | "code.redemption_rolled_back" | "pool.low" | "job.completed" | "job.failed")[];
        };
        WebhookTestResponse: {
            /**
             * @description Whether the receiver answered 2xx
             * @example true
             */
            delivered: boolean;
            /**
             * @description The receiver's HTTP status; null when it did not answer (refused, timed out, blocked)
             * @example 200
             */
            status: number | null;
            /**
             * @description From sending the request to the answer (or the give-up)
             * @example 42
             */
            durationMs: number;
            /**
             * @description What went wrong, in our words, when not delivered (never the receiver’s body)
             * @example connection error ECONNREFUSED
             */
            error?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type ApiError = components['schemas']['ApiError'];
export type ApiWarningResponse = components['schemas']['ApiWarningResponse'];
export type AttemptResponse = components['schemas']['AttemptResponse'];
export type AutoReplenishRequest = components['schemas']['AutoReplenishRequest'];
export type AutoReplenishResponse = components['schemas']['AutoReplenishResponse'];
export type BrandKeysResponse = components['schemas']['BrandKeysResponse'];
export type BrandPageResponse = components['schemas']['BrandPageResponse'];
export type BrandResponse = components['schemas']['BrandResponse'];
export type BrandStatsResponse = components['schemas']['BrandStatsResponse'];
export type CampaignFormatRequest = components['schemas']['CampaignFormatRequest'];
export type CampaignFormatResponse = components['schemas']['CampaignFormatResponse'];
export type CampaignPageResponse = components['schemas']['CampaignPageResponse'];
export type CampaignResponse = components['schemas']['CampaignResponse'];
export type CampaignStatsResponse = components['schemas']['CampaignStatsResponse'];
export type CodeBatchResponse = components['schemas']['CodeBatchResponse'];
export type CodeFormatResponse = components['schemas']['CodeFormatResponse'];
export type CodePageResponse = components['schemas']['CodePageResponse'];
export type CodeRowResponse = components['schemas']['CodeRowResponse'];
export type CreateBrandRequest = components['schemas']['CreateBrandRequest'];
export type CreateCampaignRequest = components['schemas']['CreateCampaignRequest'];
export type CreatedBrandResponse = components['schemas']['CreatedBrandResponse'];
export type DeliveryPageResponse = components['schemas']['DeliveryPageResponse'];
export type DeliveryResponse = components['schemas']['DeliveryResponse'];
export type ErrorCode = components['schemas']['ErrorCode'];
export type GenerateCodesRequest = components['schemas']['GenerateCodesRequest'];
export type ImportRejectionResponse = components['schemas']['ImportRejectionResponse'];
export type ImportReportResponse = components['schemas']['ImportReportResponse'];
export type JobPageResponse = components['schemas']['JobPageResponse'];
export type JobResponse = components['schemas']['JobResponse'];
export type KeyIdResponse = components['schemas']['KeyIdResponse'];
export type LegacyEnvelope = components['schemas']['LegacyEnvelope'];
export type LegacyGenerateRequest = components['schemas']['LegacyGenerateRequest'];
export type PreviousKeyResponse = components['schemas']['PreviousKeyResponse'];
export type RedeemCodeRequest = components['schemas']['RedeemCodeRequest'];
export type RedemptionResponse = components['schemas']['RedemptionResponse'];
export type RotatedApiKeyResponse = components['schemas']['RotatedApiKeyResponse'];
export type UpdateBrandRequest = components['schemas']['UpdateBrandRequest'];
export type UpdateCampaignRequest = components['schemas']['UpdateCampaignRequest'];
export type ValidateCodeRequest = components['schemas']['ValidateCodeRequest'];
export type ValidationResponse = components['schemas']['ValidationResponse'];
export type WebhookChangeRequest = components['schemas']['WebhookChangeRequest'];
export type WebhookRequest = components['schemas']['WebhookRequest'];
export type WebhookResponse = components['schemas']['WebhookResponse'];
export type WebhookTestResponse = components['schemas']['WebhookTestResponse'];
export type $defs = Record<string, never>;
export interface operations {
    legacyGenerateCodes: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LegacyGenerateRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description Above GENERATION_INLINE_MAX_COUNT: data is the job id, followed at GET /v1/jobs/{jobId} */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description A brand_id or number_of_codes that is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description The API key belongs to another brand than brand_id */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /**
             * @description Over BRAND_MAX_CODES (quota_exceeded); nothing was stored
             *
             *     idempotency_key_in_use: the first request with this Idempotency-Key is still being served
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description Too many requests or jobs at once; see Retry-After */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
        };
    };
    healthLive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example ok */
                        status?: string;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description The Health Check is not successful */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example error */
                        status?: string;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       },
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
    };
    healthReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example ok */
                        status?: string;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description The Health Check is not successful */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example error */
                        status?: string;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       },
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
    };
    healthStartup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example ok */
                        status?: string;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description The Health Check is not successful */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example error */
                        status?: string;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       },
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
    };
    listBrands: {
        parameters: {
            query?: {
                /** @description Only brands whose name starts with this (case-sensitive, taken literally), 1–200 characters */
                namePrefix?: string;
                /** @description 1–100 (default 20) */
                limit?: string;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandPageResponse"];
                };
            };
            /** @description invalid_input: limit, namePrefix or cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: a brand key (only the admin token lists brands) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    createBrand: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateBrandRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedBrandResponse"];
                };
            };
            /** @description invalid_input, including a webhook URL that is refused */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the admin token came in on a port other than ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description brand_exists
             *
             *     idempotency_key_in_use: the first request with this Idempotency-Key is still being served
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getBrand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    updateBrand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateBrandRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandResponse"];
                };
            };
            /** @description invalid_input, including a webhook URL that is refused */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandKeysResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    rotateApiKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotatedApiKeyResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description another brand’s key, or the replaced key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description idempotency_key_in_use: the first request with this Idempotency-Key is still being served */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    revokePreviousApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (or there was none) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description another brand’s key, or the replaced key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listCampaigns: {
        parameters: {
            query?: {
                /** @description 1–100 (default 20) */
                limit?: string;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignPageResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    createCampaign: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCampaignRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignResponse"];
                };
            };
            /** @description invalid_input, including startsAt not before endsAt and a format that cannot generate */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description campaign_exists (also for "default", which every brand has)
             *
             *     idempotency_key_in_use: the first request with this Idempotency-Key is still being served
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description "default" or a created campaign’s id */
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, campaign_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    updateCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description "default" or a created campaign’s id */
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateCampaignRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignResponse"];
                };
            };
            /** @description invalid_input, including dates that would no longer be in order */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, campaign_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description invalid_state: the default campaign cannot be changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    generateCampaignCodes: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description "default" or a created campaign’s id */
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GenerateCodesRequest"];
            };
        };
        responses: {
            /** @description Up to GENERATION_INLINE_MAX_COUNT: done */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodeBatchResponse"];
                };
            };
            /** @description Larger: a job, followed at Location */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, campaign_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description quota_exceeded: over BRAND_MAX_CODES; nothing was stored
             *
             *     idempotency_key_in_use: the first request with this Idempotency-Key is still being served
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description capacity_exceeded: the code space would be more than 1% used
             *
             *     idempotency_key_reused: this Idempotency-Key was used for a different request
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_GENERATION_PER_BRAND; too_many_jobs: BRAND_MAX_CONCURRENT_JOBS. See Retry-After */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service_unavailable: the job queue (NATS) is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    importCampaignCodes: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description "default" or a created campaign’s id */
                campaignId: string;
            };
            cookie?: never;
        };
        /** @description CSV: code[,expiresAt] per line, optional header. NDJSON: "CODE" or {"code","expiresAt"} per line. JSON: an array of either (within the JSON body limit). */
        requestBody: {
            content: {
                "text/csv": string;
                "application/x-ndjson": string;
                "application/json": string;
            };
        };
        responses: {
            /** @description What was accepted and rejected, by line */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReportResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, campaign_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description idempotency_key_in_use: the first request with this Idempotency-Key is still being served
             *
             *     quota_exceeded: the import would pass BRAND_MAX_CODES; what it stored is taken back, but codes claimed meanwhile (details.kept)
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload_too_large: over IMPORT_MAX_BYTES or GENERATION_MAX_COUNT; details.report says what was stored */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported_media_type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many requests: over a rate limit (generationPerBrand), or too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getCampaignStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description "default" or a created campaign’s id */
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignStatsResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, campaign_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_READS_PER_BRAND, see Retry-After */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listCodes: {
        parameters: {
            query?: {
                /** @description Default all */
                status?: "available" | "claimed" | "expired" | "redeemed" | "all";
                /** @description Only the campaign's codes; "default" is the codes of no other campaign */
                campaignId?: string;
                /** @description Only the codes of this batch (batchId of a 201, importId of an import) */
                batchId?: string;
                /** @description Only the codes of this generation job (jobId of a 202); not with batchId */
                jobId?: string;
                /** @description 1–1000 (default 100) */
                limit?: string;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodePageResponse"];
                };
            };
            /** @description invalid_input: a filter, limit or cursor, or batchId and jobId both */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, campaign_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many requests: over a rate limit (readsPerBrand), or too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    generateCodes: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GenerateCodesRequest"];
            };
        };
        responses: {
            /** @description Up to GENERATION_INLINE_MAX_COUNT: done */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodeBatchResponse"];
                };
            };
            /** @description Larger: a job, followed at Location */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description quota_exceeded: over BRAND_MAX_CODES; nothing was stored
             *
             *     idempotency_key_in_use: the first request with this Idempotency-Key is still being served
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description capacity_exceeded: the code space would be more than 1% used
             *
             *     idempotency_key_reused: this Idempotency-Key was used for a different request
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_GENERATION_PER_BRAND; too_many_jobs: BRAND_MAX_CONCURRENT_JOBS. See Retry-After */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service_unavailable: the job queue (NATS) is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    exportCodesCsv: {
        parameters: {
            query?: {
                /** @description Default all */
                status?: "available" | "claimed" | "expired" | "redeemed" | "all";
                /** @description Only the campaign's codes; "default" is the codes of no other campaign */
                campaignId?: string;
                /** @description Only the codes of this batch (batchId of a 201, importId of an import) */
                batchId?: string;
                /** @description Only the codes of this generation job (jobId of a 202); not with batchId */
                jobId?: string;
            };
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/csv */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description invalid_input: a filter, or batchId and jobId both */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, campaign_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_READS_PER_BRAND; too_many_exports: BRAND_MAX_CONCURRENT_EXPORTS. See Retry-After */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    importCodes: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        /** @description CSV: code[,expiresAt] per line, optional header. NDJSON: "CODE" or {"code","expiresAt"} per line. JSON: an array of either (within the JSON body limit). */
        requestBody: {
            content: {
                "text/csv": string;
                "application/x-ndjson": string;
                "application/json": string;
            };
        };
        responses: {
            /** @description What was accepted and rejected, by line */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReportResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description idempotency_key_in_use: the first request with this Idempotency-Key is still being served
             *
             *     quota_exceeded: the import would pass BRAND_MAX_CODES; what it stored is taken back, but codes claimed meanwhile (details.kept)
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload_too_large: over IMPORT_MAX_BYTES or GENERATION_MAX_COUNT; details.report says what was stored */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported_media_type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many requests: over a rate limit (generationPerBrand), or too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listBrandJobs: {
        parameters: {
            query?: {
                /** @description Default every status */
                status?: "queued" | "running" | "completed" | "failed" | "cancelled";
                /** @description 1–100 (default 20) */
                limit?: string;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPageResponse"];
                };
            };
            /** @description invalid_input: status, limit or cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: another brand’s key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_READS_PER_BRAND, see Retry-After */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    redeemCode: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RedeemCodeRequest"];
            };
        };
        responses: {
            /** @description This order had redeemed it already */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RedemptionResponse"];
                };
            };
            /** @description Redeemed now */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RedemptionResponse"];
                };
            };
            /** @description invalid_input: nothing was changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: another brand's API key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found; code_not_found (details.reason: unknown_code) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /**
             * @description code_not_redeemable (details.reason: not_claimed, claimed_by_other, expired, already_redeemed); campaign_not_active (details.reason: campaign_not_active): outside the campaign’s dates
             *
             *     idempotency_key_in_use: the first request with this Idempotency-Key is still being served
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getRedemption: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description As answered by the redemption */
                redemptionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RedemptionResponse"];
                };
            };
            /** @description invalid_input: not a redemption id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: another brand's API key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, redemption_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    rollbackRedemption: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description As answered by the redemption */
                redemptionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description status rolled_back */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RedemptionResponse"];
                };
            };
            /** @description invalid_input: not a redemption id */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: another brand's API key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found, redemption_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rollback_window_passed: the redemption stands */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getBrandStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandStatsResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_READS_PER_BRAND, see Retry-After */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    validateCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ValidateCodeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationResponse"];
                };
            };
            /** @description invalid_input: nothing was changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: another brand's API key */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description payload too large: the body is over HTTP_BODY_LIMIT_BYTES */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unsupported media type: the body is not of a media type listed here */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                status?: "pending" | "delivered" | "dead";
                /** @description 1–100 (default 20) */
                limit?: string;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPageResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    redeliverWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description The delivery id, which is the event id */
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description invalid_state: the delivery is not dead-lettered */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Also when the receiver failed: see delivered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookTestResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description brand_not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description invalid_state: the brand has no webhook */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_READS_PER_BRAND, see Retry-After */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    /** @description The policies counting this request: name, quota (q) and window in seconds (w) */
                    "RateLimit-Policy"?: string;
                    /** @description What is left of each policy: remaining requests (r) and seconds to a refill (t) */
                    RateLimit?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job id returned by the 202 answer */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: another brand’s job */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job id returned by the 202 answer */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            /** @description unauthorized: no credential, or one that is wrong, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description forbidden: the admin token came in on a port other than ADMIN_PORT */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description invalid_state: the job already finished */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description too many failed authentications from this address */
            429: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description service unavailable: the service is shedding load, or a dependency is down */
            503: {
                headers: {
                    /** @description Whole seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
}
