/** The part of autocannon's API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface TAutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupRequest?: (request: TAutocannonRequest, context: Record<string, unknown>) => TAutocannonRequest;
    onResponse?: (
      status: number,
      body: string,
      context: Record<string, unknown>,
      headers: Record<string, string>,
    ) => void;
  }
  interface THistogram {
    average: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }
  interface TAutocannonResult {
    requests: THistogram;
    latency: THistogram;
    throughput: THistogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
    statusCodeStats: Record<string, { count: number }>;
  }
  interface TAutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeout?: number;
    requests?: TAutocannonRequest[];
  }
  function autocannon(options: TAutocannonOptions): Promise<TAutocannonResult>;
  export default autocannon;
  export type { TAutocannonOptions, TAutocannonRequest, TAutocannonResult };
}
