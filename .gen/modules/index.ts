export * from './module-inputs';
export * from './registry-module';
export * from './s3-bucket';
export * from './cloudfront';
export * from './elasticache';
