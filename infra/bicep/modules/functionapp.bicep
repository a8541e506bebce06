// The Function App on the Flex Consumption plan (Linux, Python), running as the
// user-assigned identity. Webhook URLs come from Key Vault references, never from
// plain app settings.
param namePrefix string
param location string
param tags object = {}
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param appInsightsConnectionString string
param auditSchedule string
param failOn string
param teamsWebhookSecretUri string = ''
param slackWebhookSecretUri string = ''

var teamsSetting = empty(teamsWebhookSecretUri) ? [] : [{ name: 'AUDITOR_TEAMS_WEBHOOK_URL', value: '@Microsoft.KeyVault(SecretUri=${teamsWebhookSecretUri})' }]
var slackSetting = empty(slackWebhookSecretUri) ? [] : [{ name: 'AUDITOR_SLACK_WEBHOOK_URL', value: '@Microsoft.KeyVault(SecretUri=${slackWebhookSecretUri})' }]

var baseSettings = [
  { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'AUDIT_SCHEDULE', value: auditSchedule }
  { name: 'AUDITOR_FAIL_ON', value: failOn }
  { name: 'AUDITOR_STORAGE_ACCOUNT_URL', value: storageBlobEndpoint }
  { name: 'AUDITOR_REPORT_CONTAINER', value: 'auditor-reports' }
]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  // checkov:skip=CKV_AZURE_225: Flex Consumption zone redundancy depends on the region; a weekly timer job tolerates a zone outage by running late.
  name: '${namePrefix}-auditor-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_222: the HTTP trigger answers pipelines' decommission checks; it is protected by function keys or Entra ID.
  // checkov:skip=CKV_AZURE_17: pipelines call the HTTP trigger with function keys or Entra tokens, not client certificates.
  // checkov:skip=CKV_AZURE_212: Flex Consumption scales from zero; a weekly timer needs no standing instances.
  // checkov:skip=CKV_AZURE_213: no web front end to health-check: a timer and one keyed HTTP trigger.
  // checkov:skip=CKV_AZURE_13: the HTTP trigger uses function keys (authLevel FUNCTION); add Easy Auth for Entra-only access.
  name: '${namePrefix}-auditor-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: concat(baseSettings, teamsSetting, slackSetting)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}deployments'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      runtime: { name: 'python', version: '3.11' }
    }
  }

}

output name string = site.name
