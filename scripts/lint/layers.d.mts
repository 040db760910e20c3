// Types for layers.mjs, read by the architecture tests.
export declare const ENGINE_LAYERS: Record<string, string[]>;
export declare const OUTER_LAYERS: Record<string, string[]>;
export declare function layerZones(): { target: string; from: string[]; message: string }[];
