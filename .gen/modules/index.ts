export * from './module-inputs';
export * from './s3-bucket';
export * from './cloudfront';
export * from './elasticache';
