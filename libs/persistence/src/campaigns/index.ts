export * from './campaign.schema';
export * from './campaigns.repository';
