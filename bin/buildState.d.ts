export declare const root: string;
export declare const stampFile: string;
export declare function sourcesDigest(): string;
export declare function compiledBuildState(): { current: boolean; reason: string };
