"""The identity kernel: ID-number rules and validators (ID-1…ID-7), their encryption, log masking."""
