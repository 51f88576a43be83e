export interface paths {
    "/discounts/api/v1.0/get_code/{user_id}/{user_secret}/{brand_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Claim a code of the brand for a registered user (idempotent per user and brand) */
        get: operations["legacyGetCode"];
        put?: never;
        post?: never;
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
    "/v1/brands/{brandId}/campaigns/{campaignId}/claims": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Claim a code of a campaign for the user of the JWT (sub)
         * @description A user holds at most the campaign's perUserLimit codes; claims beyond it return the codes held. The campaign `default` is the brand-level claim (POST /v1/brands/{brandId}/claims).
         */
        post: operations["claimCampaignCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brandId}/claims": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Claim a code of the brand for the user of the JWT (sub) */
        post: operations["claimCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a user of the seed-compatible route (admin). The secret is shown once. */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete the user (admin): their secret stops working; claimed codes stay theirs */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give the user a new secret (admin); the old one stops working at once */
        post: operations["rotateUserSecret"];
        delete?: never;
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
        CampaignClaimResponse: {
            /**
             * @description The new claim (201), or the most recent code the user holds in the campaign (200)
             * @example SPRING-7KQ2M9XD
             */
            code: string;
            /** @example acme */
            brandId: string;
            /** @example spring-sale */
            campaignId: string;
            /**
             * @description When `code` was claimed
             * @example 2026-12-07T09:15:00.000Z
             */
            claimedAt: string;
            /** @description Every code of the campaign the user holds (at most its perUserLimit), oldest first */
            codes: components["schemas"]["HeldCodeResponse"][];
        };
        ClaimResponse: {
            /** @example 7U7I845L */
            code: string;
            /** @example acme */
            brandId: string;
            /** @example 2026-11-21T12:00:00.000Z */
            claimedAt: string;
        };
        CreateUserRequest: {
            /**
             * @description Generated when omitted. 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit
             * @example alice
             */
            userId?: string;
        };
        CreatedUserResponse: {
            /** @example alice */
            userId: string;
            /**
             * @description Shown once; only a keyed hash (HMAC) of it is stored.
             * @example example-not-a-real-secret
             */
            secret: string;
        };
        /**
         * @description A stable machine-readable code; the status alone does not tell them apart
         * @enum {string}
         */
        ErrorCode: "invalid_input" | "unauthorized" | "forbidden" | "admin_port_only" | "not_found" | "brand_not_found" | "brand_exists" | "user_exists" | "codes_exhausted" | "campaign_not_found" | "campaign_exists" | "campaign_not_active" | "code_not_found" | "code_not_redeemable" | "redemption_not_found" | "rollback_window_passed" | "invalid_state" | "idempotency_key_in_use" | "quota_exceeded" | "capacity_exceeded" | "idempotency_key_reused" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "too_many_jobs" | "too_many_exports" | "request_timeout" | "headers_too_large" | "service_unavailable" | "internal";
        HeldCodeResponse: {
            /** @example SPRING-7KQ2M9XD */
            code: string;
            /** @example 2026-12-07T09:15:00.000Z */
            claimedAt: string;
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
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type ApiError = components['schemas']['ApiError'];
export type CampaignClaimResponse = components['schemas']['CampaignClaimResponse'];
export type ClaimResponse = components['schemas']['ClaimResponse'];
export type CreateUserRequest = components['schemas']['CreateUserRequest'];
export type CreatedUserResponse = components['schemas']['CreatedUserResponse'];
export type ErrorCode = components['schemas']['ErrorCode'];
export type HeldCodeResponse = components['schemas']['HeldCodeResponse'];
export type LegacyEnvelope = components['schemas']['LegacyEnvelope'];
export type $defs = Record<string, never>;
export interface operations {
    legacyGetCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
                /** @description The secret from POST /v1/users */
                user_secret: string;
                brand_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The code claimed is `data`: {"code": "201", "data": "<code>", "message": "", "status": "success"} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description A user id, secret or brand id that is not well formed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description An unknown user, or a wrong secret */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description An unknown brand */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description The brand has no codes left */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyEnvelope"];
                };
            };
            /** @description Too many requests from this IP, or too many wrong secrets */
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
    claimCampaignCode: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                brandId: string;
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                campaignId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Nothing new claimed: the user holds perUserLimit codes of the campaign already, or holds some and none is left; `code` is the most recent of them */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignClaimResponse"];
                };
            };
            /** @description A new claim */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignClaimResponse"];
                };
            };
            /** @description invalid_input: brandId or campaignId malformed */
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
             * @description campaign_not_active: before its startsAt or from its endsAt on (details: startsAt, endsAt); codes_exhausted: no code left and the user holds none
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
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_CLAIMS_PER_USER, see Retry-After */
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
    claimCode: {
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
            /** @description The user already holds this code */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimResponse"];
                };
            };
            /** @description A new claim */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimResponse"];
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
             * @description codes_exhausted
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
            /** @description idempotency_key_reused: this Idempotency-Key was used for a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: RATE_LIMIT_CLAIMS_PER_USER, see Retry-After */
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
    createUser: {
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
                "application/json": components["schemas"]["CreateUserRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedUserResponse"];
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
             * @description user_exists
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
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
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
            /** @description forbidden: the admin token came in on a port other than ADMIN_PORT */
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
    rotateUserSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1–255 visible ASCII characters (no spaces), unique per write, e.g. a UUID. Repeated with the same request within 24 h, the first answer comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description 1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit */
                userId: string;
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
                    "application/json": components["schemas"]["CreatedUserResponse"];
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
            /** @description not_found */
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
}
